using Npgsql;
using Portal.Infrastructure.Data;

namespace Portal.Testing;

/// <summary>
/// A fresh, empty database per fixture: a SQLite file, or a new database on the PostgreSQL server
/// named by <c>PORTAL_TEST_POSTGRES</c> (CI always starts one).
/// </summary>
public sealed class TestDatabase : IAsyncDisposable
{
    public const string PostgresVariable = "PORTAL_TEST_POSTGRES";

    private readonly string? _sqliteFile;
    private readonly string? _postgresAdmin;
    private readonly string? _postgresName;

    public DatabaseProvider Provider { get; }
    public string ConnectionString { get; }

    private TestDatabase(DatabaseProvider provider, string connectionString, string? sqliteFile, string? postgresAdmin, string? postgresName)
    {
        Provider = provider;
        ConnectionString = connectionString;
        _sqliteFile = sqliteFile;
        _postgresAdmin = postgresAdmin;
        _postgresName = postgresName;
    }

    public static string? PostgresServer => Environment.GetEnvironmentVariable(PostgresVariable) is { Length: > 0 } cs ? cs : null;

    public static async Task<TestDatabase> CreateAsync(DatabaseProvider provider)
    {
        if (provider == DatabaseProvider.Sqlite)
        {
            var folder = Path.Combine(Path.GetTempPath(), "portal-tests");
            Directory.CreateDirectory(folder);
            var file = Path.Combine(folder, $"{Guid.NewGuid():N}.db");
            // Pooled, as the portal runs: a physical open reads the whole schema, which would dominate short calls.
            return new TestDatabase(provider, $"Data Source={file}", file, null, null);
        }
        var server = PostgresServer ?? throw new InvalidOperationException(
            $"PostgreSQL tests need {PostgresVariable}, e.g. 'Host=127.0.0.1;Port=55432;Username=portal' (.ci/run starts such a server).");
        var name = $"portal_t_{Guid.NewGuid():N}";
        var admin = new NpgsqlConnectionStringBuilder(server) { Database = "postgres", Pooling = false }.ConnectionString;
        await using (var connection = new NpgsqlConnection(admin))
        {
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand($"CREATE DATABASE \"{name}\"", connection);
            await command.ExecuteNonQueryAsync();
        }
        var cs = new NpgsqlConnectionStringBuilder(server) { Database = name }.ConnectionString;
        return new TestDatabase(provider, cs, null, admin, name);
    }

    public async ValueTask DisposeAsync()
    {
        if (_sqliteFile is not null)
        {
            using (var pooled = new Microsoft.Data.Sqlite.SqliteConnection(ConnectionString))
                Microsoft.Data.Sqlite.SqliteConnection.ClearPool(pooled);
            foreach (var file in new[] { _sqliteFile, _sqliteFile + "-wal", _sqliteFile + "-shm" })
                File.Delete(file);
        }
        if (_postgresAdmin is not null)
        {
            NpgsqlConnection.ClearAllPools();
            await using var connection = new NpgsqlConnection(_postgresAdmin);
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{_postgresName}\" WITH (FORCE)", connection);
            await command.ExecuteNonQueryAsync();
        }
    }
}
