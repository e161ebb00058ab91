using Microsoft.EntityFrameworkCore.Migrations;
using Portal.Core.Audit.Chain;

namespace Portal.Infrastructure.Data;

/// <summary>
/// On PostgreSQL a trigger numbers and hashes each audit event as it is inserted (ADR-010): the portal writes the save's events
/// last, with a placeholder sequence and, in the hash column, the canonical form after the version and the sequence; the trigger
/// takes the chain's lock, reads the head, and sets both. The portal makes no round trip for the lock and the head, and hashes the
/// bytes it wrote itself, so the form is encoded in one place. Rows inserted with a real sequence (a restore) pass untouched.
/// Needs PostgreSQL 11 or later (sha256).
/// </summary>
public static class AuditChainNumbering
{
    public static void Up(MigrationBuilder migration)
    {
        if (!OnPostgreSql(migration))
            return;
        // Fails the migration, not every later save, where sha256 (PostgreSQL 11) is missing.
        migration.Sql("SELECT sha256(''::bytea);");
        migration.Sql($"""
            CREATE FUNCTION audit_chain_number() RETURNS trigger LANGUAGE plpgsql AS $$
            DECLARE
                head_sequence bigint;
                head_hash bytea;
            BEGIN
                -- The head read below must see the commits before the lock's grant: a snapshot taken earlier would fork the chain.
                IF current_setting('transaction_isolation') <> 'read committed' THEN
                    RAISE EXCEPTION 'audit events are appended under read committed, not %', current_setting('transaction_isolation');
                END IF;
                PERFORM pg_advisory_xact_lock({AuditChain.PostgresLockKey});
                -- A statement of its own after the lock: under read committed it sees every append committed before the grant, and
                -- the rows this INSERT wrote before this one.
                SELECT "Sequence", "Hash" INTO head_sequence, head_hash FROM audit_events ORDER BY "Sequence" DESC LIMIT 1;
                IF NOT FOUND THEN
                    head_sequence := 0;
                    head_hash := decode(repeat('00', {AuditCanonicalForm.HashSize}), 'hex');
                END IF;
                -- SHA-256(previous ‖ canonical), the canonical form being its version, the sequence and the rest the portal wrote.
                NEW."Hash" := sha256(head_hash || decode('{AuditCanonicalForm.FormatVersion:x2}', 'hex') || int8send(head_sequence + 1) || NEW."Hash");
                NEW."Sequence" := head_sequence + 1;
                RETURN NEW;
            END $$;
            """);
        migration.Sql("""
            CREATE TRIGGER audit_events_number BEFORE INSERT ON audit_events
            FOR EACH ROW WHEN (NEW."Sequence" < 0) EXECUTE FUNCTION audit_chain_number();
            """);
    }

    /// <summary>
    /// Binds the trigger's table name to the schema the migration runs in. An unqualified name is looked up in the inserting session's
    /// search path, and before anything else in its temporary schema: a session holding a temporary <c>audit_events</c> with a forged
    /// head would otherwise have its event chained to that head. Temporary objects are looked up last, after the portal's schema.
    /// </summary>
    public static void PinSearchPath(MigrationBuilder migration)
    {
        if (!OnPostgreSql(migration))
            return;
        migration.Sql("""
            DO $$ BEGIN
                EXECUTE format('ALTER FUNCTION audit_chain_number() SET search_path = %I, pg_temp', current_schema());
            END $$;
            """);
    }

    public static void UnpinSearchPath(MigrationBuilder migration)
    {
        if (!OnPostgreSql(migration))
            return;
        migration.Sql("ALTER FUNCTION audit_chain_number() RESET search_path;");
    }

    public static void Down(MigrationBuilder migration)
    {
        if (!OnPostgreSql(migration))
            return;
        migration.Sql("DROP TRIGGER IF EXISTS audit_events_number ON audit_events;");
        migration.Sql("DROP FUNCTION IF EXISTS audit_chain_number();");
    }

    private static bool OnPostgreSql(MigrationBuilder migration) => migration.ActiveProvider == "Npgsql.EntityFrameworkCore.PostgreSQL";
}
