using System.Net;
using System.Net.Sockets;
using System.Security.Claims;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Portal.Core.Common;
using Portal.Core.Data;
using Portal.Core.Teams;
using Portal.Infrastructure.Data;
using Portal.Web.Auth;
using Xunit;

namespace Portal.Testing;

/// <summary>
/// The real portal (Program) on a real database. With <see cref="RealPort"/> it listens on a Kestrel
/// port of its own, so a browser or an HttpClient can run the whole OIDC code flow against it. With
/// <paramref name="publicUrlFromListenAddress"/> it is told only where to listen (<c>urls</c>), as a developer's
/// <c>--urls</c> would, and finds its public URL itself.
/// </summary>
public class PortalApp(DatabaseProvider provider, bool realPort = false, IReadOnlyDictionary<string, string>? settings = null,
    bool publicUrlFromListenAddress = false)
    : WebApplicationFactory<Program>, IAsyncLifetime
{
    private TestDatabase? _database;
    private readonly int _port = realPort ? FreePort() : 0;

    /// <summary>
    /// The tests refuse code that leases a second connection while holding its first (<c>Database:RefuseNestedConnections</c>); the
    /// benchmarks measure the portal as deployed, with the check off, and their seeding writes in whatever shape is fastest.
    /// </summary>
    public static bool RefuseNestedConnections { get; set; } = true;

    public DatabaseProvider Provider => provider;
    public bool RealPort => realPort;
    public string RootUrl => realPort ? $"http://127.0.0.1:{_port}" : "http://localhost";
    public TestDatabase Database => _database ?? throw new InvalidOperationException("Not initialized.");
    public string ArtifactRoot { get; } = Path.Combine(Path.GetTempPath(), "portal-tests", "artifacts-" + Guid.NewGuid().ToString("N"));
    public string CheckpointDirectory => Path.Combine(ArtifactRoot, "audit-checkpoints");

    public async ValueTask InitializeAsync()
    {
        _database = await TestDatabase.CreateAsync(provider);
        if (realPort)
            UseKestrel(_port);
        StartServer();
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Development");
        builder.UseContentRoot(Path.Combine(RepositoryRoot(), "src", "Portal.Web"));
        builder.UseSetting("Database:Provider", Database.Provider.ToString());
        builder.UseSetting("Database:ConnectionString", Database.ConnectionString);
        builder.UseSetting("Database:RefuseNestedConnections", RefuseNestedConnections ? "true" : "false");
        builder.UseSetting(publicUrlFromListenAddress ? "urls" : "Portal:PublicUrl", RootUrl);
        builder.UseSetting("Portal:SeedDemoData", "true");
        // Dozens of hosts run at once in a test run: the demo's golden runs would compete with every test's jobs for two workers.
        builder.UseSetting("Portal:SeedDemoGoldenRuns", "false");
        builder.UseSetting("AllowedHosts", "*");
        builder.UseSetting("Artifacts:Root", ArtifactRoot);
        builder.UseSetting("Audit:SigningKeyPath", Path.Combine(ArtifactRoot, "audit-signing-key.pem"));
        builder.UseSetting("Audit:CheckpointDirectory", CheckpointDirectory);
        builder.UseSetting("Serilog:MinimumLevel:Default", "Warning");
        // A queue of its own: hosts in one test process must not wake each other's Hangfire workers (Jobs:Queue in JobsSetup).
        builder.UseSetting("Jobs:Queue", $"portal-{Guid.NewGuid():N}");
        // Test classes sign in dozens of times a minute from one address; the limit itself is tested with its own setting.
        builder.UseSetting("Security:RateLimits:SignInPerMinute", "100000");
        // Probing tests send thousands of requests with one token; the limiter has tests of its own with small budgets.
        builder.UseSetting("Security:RateLimits:ApiPerMinute", "100000");
        foreach (var (key, value) in settings ?? new Dictionary<string, string>())
            builder.UseSetting(key, value);
    }

    /// <summary>
    /// UseKestrel(port) registers Kestrel's memory pool factory again, after the portal's own; in the portal's own host the portal's
    /// comes last and is the one Kestrel takes. The provider is built with the portal's last here too, so that tests and benchmarks
    /// run what production runs.
    /// </summary>
    protected override IHost CreateHost(IHostBuilder builder)
    {
        builder.UseServiceProviderFactory(new PortalRegistrationsLast());
        return base.CreateHost(builder);
    }

    private sealed class PortalRegistrationsLast : IServiceProviderFactory<IServiceCollection>
    {
        public IServiceCollection CreateBuilder(IServiceCollection services) => services;

        public IServiceProvider CreateServiceProvider(IServiceCollection services)
        {
            var portals = services.Where(d => d.ServiceType == typeof(IMemoryPoolFactory<byte>) && d.ImplementationType?.Assembly == typeof(Program).Assembly).ToList();
            foreach (var portal in portals)
            {
                services.Remove(portal);
                services.Add(portal);
            }
            return services.BuildServiceProvider(new ServiceProviderOptions { ValidateScopes = true, ValidateOnBuild = true });
        }
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        if (_database is not null)
            await _database.DisposeAsync();
        if (Directory.Exists(ArtifactRoot))
            Directory.Delete(ArtifactRoot, recursive: true);
        GC.SuppressFinalize(this);
    }

    public T Service<T>() where T : notnull => Services.GetRequiredService<T>();

    /// <summary>Runs a service call in its own scope, as a request would.</summary>
    public async Task<TResult> InScopeAsync<TService, TResult>(Func<TService, Task<TResult>> call) where TService : notnull
    {
        await using var scope = Services.CreateAsyncScope();
        return await call(scope.ServiceProvider.GetRequiredService<TService>());
    }

    /// <summary>Signs a person in the way the OIDC handler does after the IdP confirmed them.</summary>
    public async Task<SignedInUser> SignInAsync(string subject, string name, params string[] groups)
    {
        var result = await InScopeAsync<SignInService, Result<SignedInUser>>(s =>
            s.SignInAsync(new SignInIdentity("https://idp.test/", subject, name, $"{subject}@example.com", groups), "127.0.0.1", "test"));
        return result.Value;
    }

    /// <summary>The principal the portal's session cookie carries for this user now (current name and security stamp).</summary>
    public async Task<ClaimsPrincipal> CookiePrincipalAsync(Guid userId)
    {
        await using var db = await Service<IDbContextFactory<PortalDbContext>>().CreateDbContextAsync();
        var user = await db.Users.Where(u => u.Id == userId).Select(u => new { u.Name, u.SecurityStamp }).SingleAsync();
        return new ClaimsPrincipal(new ClaimsIdentity(
            [new Claim(PortalClaims.UserId, userId.ToString()), new Claim(PortalClaims.Name, user.Name), new Claim(PortalClaims.SecurityStamp, user.SecurityStamp)],
            AuthenticationSetup.CookieScheme, PortalClaims.Name, null));
    }

    public async Task<CallerAccess> CallerAsync(SignedInUser user) =>
        (await InScopeAsync<AccessService, CallerAccess?>(a => a.ForUserAsync(user.UserId, Actor.ForUser(user.UserId, user.Name))))!;

    /// <summary>Issues an API token through the service, as a team admin would on the Members page.</summary>
    public async Task<string> IssueTokenAsync(string team, TeamRole role, int days = 30) =>
        await IssueTokenAsync(await CallerAsync(await SignInAsync($"admin-{team}", $"Admin {team}", $"{team}-admins")), team, role, days);

    /// <summary>Issues an API token through the service with <paramref name="issuer"/>'s authority: the token acts for that person.</summary>
    public async Task<string> IssueTokenAsync(CallerAccess issuer, string team, TeamRole role, int days = 30)
    {
        var issued = await InScopeAsync<ApiTokenService, Result<IssuedApiToken>>(s => s.CreateAsync(issuer, team, $"pipeline-{Guid.NewGuid():N}"[..20], role, days));
        return issued.Value.Secret;
    }

    public static string RepositoryRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Portal.sln")))
            dir = dir.Parent;
        return dir?.FullName ?? throw new InvalidOperationException("Portal.sln not found above " + AppContext.BaseDirectory);
    }

    /// <summary>An HttpClient to this portal that acts as a pipeline with a fresh token of the team and role.</summary>
    public async Task<HttpClient> ApiClientAsync(string team, TeamRole role)
    {
        var client = CreateClient();
        client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", await IssueTokenAsync(team, role));
        return client;
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}

public sealed class SqlitePortal() : PortalApp(DatabaseProvider.Sqlite);

public sealed class PostgresPortal() : PortalApp(DatabaseProvider.PostgreSql);
