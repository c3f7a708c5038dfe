"""The layers, checked: the shared code in esafety/ imports no domain app (the contract is
[tool.importlinter] in pyproject.toml). Apps plug into the shared pages through their declared
contributions instead, so an eighth app never has to edit esafety/."""

import subprocess
import sys
from pathlib import Path

from django.conf import settings


def test_esafety_imports_no_domain_app():
    # The same command `make lint` runs, so the test and CI cannot disagree about the rule.
    lint_imports = Path(sys.executable).parent / "lint-imports"
    result = subprocess.run(
        [lint_imports, "--no-cache", "--config", "pyproject.toml"],
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
