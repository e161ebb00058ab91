using Microsoft.EntityFrameworkCore.Migrations;

namespace Portal.Infrastructure.Data;

/// <summary>
/// Database-level refusal of UPDATE and DELETE on audit_events (and TRUNCATE on PostgreSQL), so the
/// portal's own connection cannot rewrite history even through raw SQL. Kept by hand outside the
/// generated migrations; a migration calls <see cref="Up"/> / <see cref="Down"/> in one line.
/// A database administrator can still drop the triggers: that is what the hash chain and the
/// signed checkpoints are for (ADR-010).
/// </summary>
public static class AuditAppendOnly
{
    public const string Message = "audit_events is append-only";

    public static void Up(MigrationBuilder migration)
    {
        foreach (var sql in UpSql(migration.ActiveProvider))
            migration.Sql(sql);
    }

    public static void Down(MigrationBuilder migration)
    {
        foreach (var sql in DownSql(migration.ActiveProvider))
            migration.Sql(sql);
    }

    /// <summary>
    /// SQLite drops a table's triggers whenever EF Core rebuilds the table (any later column change does),
    /// so they are also ensured after every migration run (<see cref="EnsureAsync"/>).
    /// </summary>
    private static readonly string[] SqliteTriggers =
    [
        $"CREATE TRIGGER IF NOT EXISTS audit_events_no_update BEFORE UPDATE ON audit_events BEGIN SELECT RAISE(ABORT, '{Message}'); END;",
        $"CREATE TRIGGER IF NOT EXISTS audit_events_no_delete BEFORE DELETE ON audit_events BEGIN SELECT RAISE(ABORT, '{Message}'); END;",
        // INSERT OR REPLACE of an existing sequence deletes the row without firing the delete trigger (recursive triggers are off).
        $"""
        CREATE TRIGGER IF NOT EXISTS audit_events_no_replace BEFORE INSERT ON audit_events
        WHEN EXISTS (SELECT 1 FROM audit_events WHERE "Sequence" = NEW."Sequence") BEGIN SELECT RAISE(ABORT, '{Message}'); END;
        """,
    ];

    /// <summary>Re-creates the SQLite triggers if a table rebuild dropped them; the other providers keep theirs.</summary>
    public static async Task EnsureAsync(Microsoft.EntityFrameworkCore.DbContext db, CancellationToken ct)
    {
        if (db.Database.ProviderName != "Microsoft.EntityFrameworkCore.Sqlite")
            return;
        foreach (var sql in SqliteTriggers)
            await Microsoft.EntityFrameworkCore.RelationalDatabaseFacadeExtensions.ExecuteSqlRawAsync(db.Database, sql, ct);
    }

    private static string[] UpSql(string? provider) => provider switch
    {
        "Microsoft.EntityFrameworkCore.Sqlite" =>
        [
            .. SqliteTriggers,
        ],
        "Npgsql.EntityFrameworkCore.PostgreSQL" =>
        [
            $"""
            CREATE FUNCTION audit_events_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                RAISE EXCEPTION '{Message}' USING ERRCODE = 'insufficient_privilege';
            END $$;
            """,
            "CREATE TRIGGER audit_events_no_change BEFORE UPDATE OR DELETE ON audit_events FOR EACH ROW EXECUTE FUNCTION audit_events_refuse_change();",
            "CREATE TRIGGER audit_events_no_truncate BEFORE TRUNCATE ON audit_events FOR EACH STATEMENT EXECUTE FUNCTION audit_events_refuse_change();",
        ],
        "Microsoft.EntityFrameworkCore.SqlServer" =>
        [
            $"""
            CREATE TRIGGER audit_events_no_change ON audit_events INSTEAD OF UPDATE, DELETE AS
            BEGIN
                THROW 51000, '{Message}', 1;
            END;
            """,
        ],
        _ => throw new NotSupportedException($"No append-only triggers for provider {provider}."),
    };

    private static string[] DownSql(string? provider) => provider switch
    {
        "Microsoft.EntityFrameworkCore.Sqlite" => ["DROP TRIGGER IF EXISTS audit_events_no_update;", "DROP TRIGGER IF EXISTS audit_events_no_delete;"],
        "Npgsql.EntityFrameworkCore.PostgreSQL" =>
        [
            "DROP TRIGGER IF EXISTS audit_events_no_truncate ON audit_events;",
            "DROP TRIGGER IF EXISTS audit_events_no_change ON audit_events;",
            "DROP FUNCTION IF EXISTS audit_events_refuse_change();",
        ],
        "Microsoft.EntityFrameworkCore.SqlServer" => ["DROP TRIGGER IF EXISTS audit_events_no_change;"],
        _ => throw new NotSupportedException($"No append-only triggers for provider {provider}."),
    };
}
