using Microsoft.EntityFrameworkCore.Migrations;
using Portal.Core.Audit.Chain;

namespace Portal.Infrastructure.Data;

/// <summary>
/// On PostgreSQL, audit events join the chain inside the commit of the transaction that wrote them (ADR-010): the portal writes
/// them to <c>audit_pending</c> with their canonical form after the sequence in the hash column, and a deferred trigger, at
/// commit, takes the chain's lock, reads the head, numbers and hashes them, moves them to <c>audit_events</c> and empties the
/// table. The lock is then held for that part of the commit only, with no round trip to the portal inside it.
/// Deferred trigger events fire in the order they were queued, so each firing appends its own row: no scan of the table.
/// </summary>
/// <remarks>
/// <c>audit_pending</c> has <c>audit_events</c>' columns in the same order (the trigger copies rows positionally): a migration that
/// adds a column to <c>audit_events</c> adds it here too (<c>AuditChainAtCommitTests</c> compares them). Unlogged: its rows never
/// outlive their transaction. Each transaction sees only its own pending rows (the others' are uncommitted); a placeholder sequence
/// is unique among a process's events, so it names one row of the transaction. Needs PostgreSQL 11 or later (sha256).
/// </remarks>
public static class AuditChainAtCommit
{
    private const string PendingTable = AuditChain.PendingTable;

    public static void Up(MigrationBuilder migration)
    {
        if (migration.ActiveProvider != "Npgsql.EntityFrameworkCore.PostgreSQL")
            return;
        // Fails the migration, not every later commit, where sha256 (PostgreSQL 11) is missing.
        migration.Sql("SELECT sha256(''::bytea);");
        migration.Sql($"CREATE UNLOGGED TABLE {PendingTable} (LIKE audit_events INCLUDING DEFAULTS);");
        // Each firing finds its row by this index, whatever dead rows the table holds between vacuums.
        migration.Sql($"CREATE INDEX ix_{PendingTable}_sequence ON {PendingTable} (\"Sequence\");");
        migration.Sql($"""
            CREATE FUNCTION audit_chain_append() RETURNS trigger LANGUAGE plpgsql AS $$
            DECLARE
                head_sequence bigint;
                head_hash bytea;
                pending {PendingTable}%ROWTYPE := NEW;
            BEGIN
                -- The head read below must see the commits before the lock's grant: a snapshot taken earlier would fork the chain.
                IF current_setting('transaction_isolation') <> 'read committed' THEN
                    RAISE EXCEPTION 'audit events are appended under read committed, not %', current_setting('transaction_isolation');
                END IF;
                -- Out of the table before the lock (at the first firing of a commit): the lock is held only to number and write.
                DELETE FROM {PendingTable} WHERE "Sequence" = NEW."Sequence";
                PERFORM pg_advisory_xact_lock({AuditChain.PostgresLockKey});
                -- A statement of its own after the lock: under read committed it sees every append committed before the grant.
                SELECT "Sequence", "Hash" INTO head_sequence, head_hash FROM audit_events ORDER BY "Sequence" DESC LIMIT 1;
                IF NOT FOUND THEN
                    head_sequence := 0;
                    head_hash := decode(repeat('00', {AuditCanonicalForm.HashSize}), 'hex');
                END IF;
                -- SHA-256(previous ‖ canonical), the canonical form being its version, the sequence and the rest the portal wrote.
                pending."Sequence" := head_sequence + 1;
                pending."Hash" := sha256(head_hash || '\x{AuditCanonicalForm.FormatVersion:x2}'::bytea || int8send(head_sequence + 1) || NEW."Hash");
                INSERT INTO audit_events SELECT (pending).*;
                RETURN NULL;
            END $$;
            """);
        // Fired at commit once per pending row, in the order the rows were inserted: the order the events were recorded.
        migration.Sql($"""
            CREATE CONSTRAINT TRIGGER audit_pending_append AFTER INSERT ON {PendingTable}
            DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION audit_chain_append();
            """);
    }

    public static void Down(MigrationBuilder migration)
    {
        if (migration.ActiveProvider != "Npgsql.EntityFrameworkCore.PostgreSQL")
            return;
        migration.Sql($"DROP TABLE IF EXISTS {PendingTable};");
        migration.Sql("DROP FUNCTION IF EXISTS audit_chain_append();");
    }
}
