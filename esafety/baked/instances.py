"""Model instances from a baked query's rows (esafety/baked): the fields a builder names, and
the instances, related rows and prefetched lists made from them."""

from typing import Any

from django.db.models import Model

from esafety.baked.plan import M


def _attnames(model: type[Model]) -> list[str]:
    return [f.attname for f in model._meta.concrete_fields]


def model_at(model: type[Model], path: str) -> type[Model]:
    for name in path.split("__"):
        model = model._meta.get_field(name).related_model  # type: ignore[assignment]
    return model


def fields_of(model: type[Model], related: tuple[str, ...] = ()) -> tuple[str, ...]:
    """The names a builder's `.values()` gives for `Baked.objects` to make whole instances of
    `model` and of the `related` models joined to it."""
    names = _attnames(model)
    for path in related:
        names += [f"{path}__{name}" for name in _attnames(model_at(model, path))]
    return tuple(names)


def prefetched(instance: Model, related_name: str, objects: list) -> None:
    """Give `instance.<related_name>.all()` these objects, as prefetch_related does (and each
    of them its way back to `instance`), so the page reads them without another query."""
    manager = getattr(instance, related_name)
    qs = manager.get_queryset()
    qs._result_cache = objects
    qs._prefetch_done = True
    field = manager.field
    for obj in objects:
        field.set_cached_value(obj, instance)
    cache = instance.__dict__.setdefault("_prefetched_objects_cache", {})
    cache[field.remote_field.cache_name] = qs


def instances(
    model: type[M], related: tuple[str, ...], names: tuple[str, ...], rows: list, using: str
) -> list[M]:
    """`model` instances from rows named `names`, with the `related` ones set on them as
    select_related sets them."""
    at = {name: i for i, name in enumerate(names)}
    # For each model in a row: its fields, where they are in the row, where its primary key
    # is, and which of the models before it holds it, by which field.
    parts = []
    for path in ("", *related):
        part = model_at(model, path) if path else model
        own = _attnames(part)
        prefix = f"{path}__" if path else ""
        above, _, name = path.rpartition("__")
        holder = None
        if path:
            holder_model = model_at(model, above) if above else model
            field: Any = holder_model._meta.get_field(name)
            holder = (above, field)
        columns = [at[prefix + n] for n in own]
        parts.append((path, part, own, columns, own.index(part._meta.pk.attname), holder))
    made = []
    for row in rows:
        found: dict[str, Any] = {}
        for path, part, own, columns, pk_at, holder in parts:
            got = [row[i] for i in columns]
            instance = None if got[pk_at] is None else part.from_db(using, own, got)
            found[path] = instance
            if holder is not None and found[holder[0]] is not None:
                holder[1].set_cached_value(found[holder[0]], instance)
        made.append(found[""])
    return made
