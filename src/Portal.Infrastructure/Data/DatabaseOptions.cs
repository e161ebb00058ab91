using System.ComponentModel.DataAnnotations;

namespace Portal.Infrastructure.Data;

public enum DatabaseProvider
{
    Sqlite,
    PostgreSql,
    SqlServer,
}

/// <summary>Configuration section <c>Database</c>.</summary>
public sealed class DatabaseOptions
{
    public const string Section = "Database";

    public DatabaseProvider Provider { get; set; } = DatabaseProvider.Sqlite;

    [Required(ErrorMessage = "Database:ConnectionString is required.")]
    public string ConnectionString { get; set; } = "";

    /// <summary>Apply pending migrations at start-up (the embedded default); production may run them from a pipeline.</summary>
    public bool MigrateOnStart { get; set; } = true;

    /// <summary>
    /// Fail a unit of work that opens a second connection while its first is open (the tests set it): such code empties the pool
    /// under load. Off by default, so that a path no test covers degrades under load instead of failing for its first user.
    /// </summary>
    public bool RefuseNestedConnections { get; set; }
}
