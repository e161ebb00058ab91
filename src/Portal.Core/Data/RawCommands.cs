using System.Data.Common;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;

namespace Portal.Core.Data;

/// <summary>
/// A statement on the unit of work's own connection and transaction, past EF Core's query pipeline (parameter extraction, the
/// command cache and its lock, the reader's wrappers): for the few statements every write runs while it holds SQLite's one write
/// turn or the audit chain's lock, where each of its microseconds is paid again by every writer waiting behind it.
/// </summary>
internal static class RawCommands
{
    public static DbCommand InTransaction(this PortalDbContext db, string sql)
    {
        var command = db.Database.GetDbConnection().CreateCommand();
        command.Transaction = db.Database.CurrentTransaction?.GetDbTransaction()
            ?? throw new InvalidOperationException("This statement belongs inside the unit of work's transaction.");
        command.CommandText = sql;
        return command;
    }

    public static DbCommand WithParameter(this DbCommand command, string name, object value)
    {
        var parameter = command.CreateParameter();
        parameter.ParameterName = name;
        parameter.Value = value;
        command.Parameters.Add(parameter);
        return command;
    }
}
