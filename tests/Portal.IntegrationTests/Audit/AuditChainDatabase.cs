using System.Data.Common;
using System.Diagnostics;
using System.Security.Cryptography;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Npgsql;
using Portal.AuditVerifier;
using Portal.Core.Audit;
using Portal.Core.Audit.Checkpoints;
using Portal.Core.Audit.Verification;
using Portal.Core.Common;
using Portal.Core.Data;
using Portal.Core.Teams;
using Portal.Infrastructure.Data;
using Portal.Testing;

namespace Portal.IntegrationTests.Audit;

/// <summary>A migrated database of one provider holding an audit chain written through the portal's save path, with a checkpoint directory.</summary>
public sealed class AuditChainDatabase : IAsyncDisposable
{
    private readonly TestDatabase _database;
    private readonly PooledDbContextFactory<PortalDbContext> _factory;

    private AuditChainDatabase(TestDatabase database)
    {
        _database = database;
        _factory = new PooledDbContextFactory<PortalDbContext>(PortalDatabase.Options(database.Provider, database.ConnectionString));
        CheckpointStore = new DirectoryCheckpointStore(Path.Combine(Path.GetTempPath(), "portal-tests", "checkpoints-" + Guid.NewGuid().ToString("N")));
        Trail = new AuditTrailService(_factory, CheckpointStore, new CheckpointSigner(ECDsa.Create(ECCurve.NamedCurves.nistP256)), TimeProvider.System);
    }

    /// <summary>The providers that run here: SQLite embedded, PostgreSQL as a real server.</summary>
    public static TheoryData<DatabaseProvider> Providers => [DatabaseProvider.Sqlite, DatabaseProvider.PostgreSql];

    public DatabaseProvider Provider => _database.Provider;
    public DirectoryCheckpointStore CheckpointStore { get; }
    public AuditTrailService Trail { get; }
    public IDbContextFactory<PortalDbContext> Factory => _factory;

    public static readonly CallerAccess Auditor = new(Actor.ForUser(Guid.NewGuid(), "Ada Auditor"), new HashSet<GlobalRole> { GlobalRole.Auditor },
        new Dictionary<string, TeamAccess>());

    public static async Task<AuditChainDatabase> CreateAsync(DatabaseProvider provider)
    {
        var chain = new AuditChainDatabase(await TestDatabase.CreateAsync(provider));
        await using var db = await chain._factory.CreateDbContextAsync();
        await db.Database.MigrateAsync();
        await AuditAppendOnly.EnsureAsync(db, CancellationToken.None);
        return chain;
    }

    /// <summary>Appends events one save at a time, as the portal's services do.</summary>
    public async Task WriteEventsAsync(int count)
    {
        for (var i = 0; i < count; i++)
        {
            await using var db = await _factory.CreateDbContextAsync();
            db.Record(Actor.System("tests"), DateTimeOffset.UtcNow, "asset.updated", "asset", $"asset-{i % 4}", after: new { Step = i, Note = "ünïcode ✓" });
            await db.SaveChangesAsync();
        }
    }

    /// <summary>A context of the portal's configuration with one interceptor more, which runs after the portal's own.</summary>
    public PortalDbContext ContextWith(Microsoft.EntityFrameworkCore.Diagnostics.IInterceptor interceptor) =>
        new((DbContextOptions<PortalDbContext>)PortalDatabase.Configure(new DbContextOptionsBuilder<PortalDbContext>(), Provider, _database.ConnectionString)
            .AddInterceptors(interceptor).Options);

    public async Task<long[]> SequencesAsync()
    {
        await using var db = await _factory.CreateDbContextAsync();
        return [.. await db.AuditEvents.OrderBy(e => e.Sequence).Select(e => e.Sequence).ToListAsync()];
    }

    public async Task<AuditVerificationResult> VerifyAsync() => (await Trail.VerifyAsync(Auditor, CancellationToken.None)).Value;

    public DbConnection RawConnection() => Provider == DatabaseProvider.Sqlite
        ? new SqliteConnection(_database.ConnectionString)
        : new NpgsqlConnection(_database.ConnectionString);

    /// <summary>Runs SQL on a connection of its own, outside EF Core, as a database administrator would.</summary>
    public async Task RawAsync(string sql, params (string Name, object Value)[] parameters)
    {
        await using var connection = RawConnection();
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        foreach (var (name, value) in parameters)
        {
            var parameter = command.CreateParameter();
            parameter.ParameterName = name;
            parameter.Value = value;
            command.Parameters.Add(parameter);
        }
        await command.ExecuteNonQueryAsync();
    }

    /// <summary>What an administrator does first: take the append-only triggers away.</summary>
    public Task DisableTriggersAsync() => Provider == DatabaseProvider.Sqlite
        ? RawAsync("DROP TRIGGER audit_events_no_update; DROP TRIGGER audit_events_no_delete; DROP TRIGGER audit_events_no_replace;")
        : RawAsync("ALTER TABLE audit_events DISABLE TRIGGER USER;");

    /// <summary>The command-line verifier, run as its own process against this database and checkpoint directory.</summary>
    public async Task<(int ExitCode, string Output, string Error)> RunVerifierAsync()
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            ArgumentList = { typeof(VerifierCommand).Assembly.Location, "--checkpoints", CheckpointStore.Directory,
                "--provider", Provider.ToString(), "--connection", _database.ConnectionString },
        };
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, (await output).Trim(), (await error).Trim());
    }

    public async ValueTask DisposeAsync()
    {
        if (Directory.Exists(CheckpointStore.Directory))
            Directory.Delete(CheckpointStore.Directory, recursive: true);
        await _database.DisposeAsync();
    }
}
