"""Audit events appended by PostgreSQL in one statement, and the payload they are hashed over
kept in one place.

audit_payload(e) is row_hash's payload (esafety/audit/models.py) built by PostgreSQL:
json.dumps(sort_keys=True, separators=(",", ":")) of the hashed fields, as Python reads them
back. For text of ASCII, to_json escapes exactly as Python's json does (quotes, backslashes,
control characters); Python also escapes every other character (ensure_ascii) and PostgreSQL
does not, so only text of ASCII is ever hashed here (esafety/audit/services.py), and
verify_audit has Python check again any row whose hash this payload does not match. Every field
is written so that two different values never give the same text: the address as Django reads
it back, with its mask when it has one; the time with its microseconds when it has any, as
datetime.isoformat writes it. It is a plain SQL function, so PostgreSQL inlines it into
verify_audit's parallel scan.

audit_append(...) is what a page's read audit (25 events on the concern list) cost four round
trips and the hashing in Python for: it waits for the school's chain and reads its head
(audit_chain_head, migration 0004: a fresh snapshot after the lock), hashes each event onto the
one before, and inserts them in order, so their ids follow the chain. Outside a transaction it is
one statement, atomic by itself; inside one, the chain stays locked until that one ends, as it
does for a write from Python.
"""

from django.db import migrations

PAYLOAD = """
CREATE OR REPLACE FUNCTION audit_payload(e audit_auditevent) RETURNS text AS $$
    SELECT '{"action":' || to_json(e.action)::text
    || ',"actor_id":' || coalesce(e.actor_id::text, 'null')
    || ',"actor_label":' || to_json(e.actor_label)::text
    || ',"at":"' || to_char(e.at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS')
        || CASE WHEN date_part('microseconds', e.at)::bigint % 1000000 = 0 THEN ''
           ELSE to_char(e.at AT TIME ZONE 'UTC', '.US') END || '+00:00"'
    || ',"ip":' || coalesce(to_json(
        CASE WHEN masklen(e.ip) = CASE family(e.ip) WHEN 4 THEN 32 ELSE 128 END
        THEN host(e.ip) ELSE e.ip::text END)::text, 'null')
    || ',"object_code":' || to_json(e.object_code)::text
    || ',"object_type":' || to_json(e.object_type)::text
    || ',"prev_hash":' || to_json(e.prev_hash)::text
    || ',"request_id":' || to_json(e.request_id)::text
    || ',"school_id":' || coalesce(e.school_id::text, 'null')
    || ',"summary":' || to_json(e.summary)::text || '}'
$$ LANGUAGE sql STABLE PARALLEL SAFE;
"""

APPEND = """
CREATE OR REPLACE FUNCTION audit_append(
    lock_key bigint, chain_school bigint, genesis varchar, p_at timestamptz, p_actor bigint,
    p_label varchar, p_request varchar, p_ip inet,
    p_actions varchar[], p_types varchar[], p_codes varchar[], p_summaries varchar[]
) RETURNS TABLE (event_id bigint, event_prev varchar, event_hash varchar) AS $$
DECLARE
    e audit_auditevent;
    prevs varchar[] := '{}';
    hashes varchar[] := '{}';
BEGIN
    e.prev_hash := coalesce(audit_chain_head(lock_key, chain_school::integer), genesis);
    e.at := p_at;
    e.actor_id := p_actor;
    e.actor_label := p_label;
    e.school_id := chain_school;
    e.request_id := p_request;
    e.ip := p_ip;
    FOR i IN 1 .. coalesce(array_length(p_actions, 1), 0) LOOP
        e.action := p_actions[i];
        e.object_type := p_types[i];
        e.object_code := p_codes[i];
        e.summary := p_summaries[i];
        e.hash := encode(sha256(convert_to(audit_payload(e), 'UTF8')), 'hex');
        prevs := prevs || e.prev_hash;
        hashes := hashes || e.hash;
        e.prev_hash := e.hash;
    END LOOP;
    RETURN QUERY
        INSERT INTO audit_auditevent AS t
            (at, actor_id, actor_label, school_id, action, object_type, object_code, summary,
             request_id, ip, prev_hash, hash)
        SELECT p_at, p_actor, p_label, chain_school, g.action, g.otype, g.ocode, g.summary,
            p_request, p_ip, g.prev, g.hash
        FROM unnest(p_actions, p_types, p_codes, p_summaries, prevs, hashes)
            WITH ORDINALITY AS g(action, otype, ocode, summary, prev, hash, n)
        ORDER BY g.n
        RETURNING t.id, t.prev_hash, t.hash;
END;
$$ LANGUAGE plpgsql VOLATILE;
"""

DROP = """
DROP FUNCTION IF EXISTS audit_append(bigint, bigint, varchar, timestamptz, bigint, varchar,
    varchar, inet, varchar[], varchar[], varchar[], varchar[]);
DROP FUNCTION IF EXISTS audit_payload(audit_auditevent);
"""


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(PAYLOAD, params=None)
        schema_editor.execute(APPEND, params=None)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP, params=None)


class Migration(migrations.Migration):
    dependencies = [("audit", "0005_lean_indexes")]

    operations = [migrations.RunPython(forwards, backwards, elidable=False)]
