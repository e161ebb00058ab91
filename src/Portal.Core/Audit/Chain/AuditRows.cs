using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Storage;
using Portal.Core.Data;

namespace Portal.Core.Audit.Chain;

/// <summary>
/// Writes a save's new audit events with one multi-row INSERT on SQLite, where EF Core sends one command per row: a transition
/// writes two to four events inside SQLite's one write turn, and each command of its own cost every writer waiting behind it a
/// prepare, a step and EF Core's command pipeline. On PostgreSQL, whose trigger numbers and hashes them as they are inserted, it
/// writes a transaction's events with its COMMIT in one command, so the chain's lock is the transaction's last and held inside PostgreSQL only. SQL Server gets them in EF Core's own batch.
/// </summary>
/// <remarks>
/// Columns and values come from the model: each value goes through its column's type mapping (the provider's own conversion, as
/// EF Core's INSERT would), so the rows read back, and hash, exactly as EF Core's own would.
/// </remarks>
internal static class AuditRows
{
    /// <summary>Far below SQLite's 32,766 host parameters a statement (and PostgreSQL's 65,535), whatever the number of columns.</summary>
    private const int RowsPerStatement = 500;

    public static bool WritesItself(PortalDbContext db) =>
        db.ProviderName == "Microsoft.EntityFrameworkCore.Sqlite" || AuditChain.NumbersInDatabase(db);

    /// <param name="thenCommit">Sends the transaction's COMMIT behind the INSERTs, in the same round trip (PostgreSQL at commit).</param>
    public static async Task InsertAsync(PortalDbContext db, IReadOnlyList<EntityEntry<AuditEvent>> events, bool thenCommit, CancellationToken ct)
    {
        var entityType = db.Model.FindEntityType(typeof(AuditEvent))!;
        var table = StoreObjectIdentifier.Table(entityType.GetTableName()!, entityType.GetSchema());
        var sql = db.GetService<ISqlGenerationHelper>();
        var columns = entityType.GetProperties().Select(p => (Property: p, Mapping: p.GetRelationalTypeMapping())).ToList();
        var numberedByDatabase = AuditChain.NumbersInDatabase(db);
        var head = $"INSERT INTO {sql.DelimitIdentifier(table.Name, table.Schema)} ("
            + string.Join(", ", columns.Select(c => sql.DelimitIdentifier(c.Property.GetColumnName(table)!))) + ") VALUES ";
        // Every statement in one command, one round trip: on PostgreSQL the first statement's trigger takes the chain's lock, and no
        // round trip to the portal may fall between it and the COMMIT.
        await using var command = db.InTransaction("");
        var text = new StringBuilder();
        for (var row = 0; row < events.Count; row++)
        {
            text.Append(row == 0 ? head + "(" : row % RowsPerStatement == 0 ? "; " + head + "(" : ", (");
            for (var column = 0; column < columns.Count; column++)
            {
                var (property, mapping) = columns[column];
                var name = $"@r{row}c{column}";
                text.Append(column == 0 ? name : ", " + name);
                var parameter = mapping.CreateParameter(command, name, events[row].Property(property.Name).CurrentValue, property.IsNullable);
                // The hash column holds the canonical form until the trigger hashes it, longer than the 32 bytes the mapping would cut it to.
                if (numberedByDatabase && property.Name == nameof(AuditEvent.Hash))
                    parameter.Size = 0;
                command.Parameters.Add(parameter);
            }
            text.Append(')');
        }
        if (thenCommit)
            text.Append("; COMMIT");
        command.CommandText = text.ToString();
        await command.ExecuteNonQueryAsync(ct);
    }
}
