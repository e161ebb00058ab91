using Portal.Core.Artifacts;
using System.Net;
using Portal.Infrastructure.Artifacts;
using Portal.Infrastructure.Data;

namespace Portal.Web.Hosting;

/// <summary>A setting that stops start-up; the message names the key.</summary>
public sealed class PortalConfigurationException(string message) : Exception(message);

public enum SsoMode
{
    /// <summary>The built-in development identity provider (OpenIddict) with demo users. Only in Development.</summary>
    Embedded,
    /// <summary>A corporate IdP (Entra ID, Okta, Keycloak...) reached by its authority URL.</summary>
    External,
}

/// <summary>Configuration section <c>Portal</c>.</summary>
public sealed class PortalOptions
{
    /// <summary>
    /// The URL people use to reach the portal; OIDC redirect URIs are built from it. Unset in Development, it is the
    /// address the portal listens on (<see cref="ListeningUrl"/>).
    /// </summary>
    public string PublicUrl { get; set; } = "http://localhost:5080";
    /// <summary>Seed the demo teams (Marketing, Finance) on an empty database. Only in Development.</summary>
    public bool SeedDemoData { get; set; }
    /// <summary>Queue the demo golden checks' first runs when seeding (the test hosts, dozens per run, leave them off).</summary>
    public bool SeedDemoGoldenRuns { get; set; } = true;
}

/// <summary>Configuration section <c>Sso</c>.</summary>
public sealed class SsoOptions
{
    public SsoMode Mode { get; set; } = SsoMode.External;
    public string? Authority { get; set; }
    public string? ClientId { get; set; }
    public string? ClientSecret { get; set; }
    public string[] Scopes { get; set; } = ["openid", "profile", "email", "groups"];
    /// <summary>The ID-token claim that carries group names (Entra ID: groups; Okta: groups; Keycloak: groups).</summary>
    public string GroupsClaim { get; set; } = "groups";
    /// <summary>IdP group to role grants, e.g. "mkt-contributors": ["marketing:Contributor"].</summary>
    public Dictionary<string, string[]> GroupMappings { get; set; } = [];
}

/// <summary>Configuration section <c>Security</c>.</summary>
public sealed class SecurityOptions
{
    /// <summary>Origins allowed to call the API from a browser; empty keeps CORS closed.</summary>
    public string[] CorsOrigins { get; set; } = [];
    /// <summary>How often an open page re-checks that its user still exists, is enabled and holds the same roles (at most 60).</summary>
    public int SessionRevalidationSeconds { get; set; } = 60;
    /// <summary>Largest JSON request body the API accepts, in bytes.</summary>
    public long MaxJsonBodyBytes { get; set; } = 1024 * 1024;
    public ForwardedHeadersSettings ForwardedHeaders { get; set; } = new();
    public RateLimitSettings RateLimits { get; set; } = new();
    public SecurityEventSettings Events { get; set; } = new();
}

/// <summary>Configuration section <c>Telemetry</c>.</summary>
public sealed class TelemetryOptions
{
    /// <summary>OTLP endpoint (http://collector:4317); traces and metrics are off while empty.</summary>
    public string? OtlpEndpoint { get; set; }
}

public sealed record PortalSettings(PortalOptions Portal, SsoOptions Sso, DatabaseOptions Database, SecurityOptions Security, TelemetryOptions Telemetry,
    ArtifactStoreOptions Artifacts, StorageOptions Storage)
{
    public KeyProtectionOptions KeyProtection { get; init; } = new();
    public IReadOnlyList<IPAddress> KnownProxies { get; init; } = [];
    public IReadOnlyList<IPNetwork> KnownNetworks { get; init; } = [];

    /// <summary>Binds and checks every setting start-up depends on; each problem names its key.</summary>
    public static PortalSettings Load(IConfiguration config, IHostEnvironment env)
    {
        var problems = new List<string>();
        var database = new DatabaseOptions();
        var providerText = config["Database:Provider"] ?? nameof(DatabaseProvider.Sqlite);
        if (Enum.TryParse<DatabaseProvider>(providerText, ignoreCase: true, out var provider) && Enum.IsDefined(provider))
            database.Provider = provider;
        else
            problems.Add($"Database:Provider '{providerText}' is not supported: use Sqlite, PostgreSql or SqlServer.");
        database.ConnectionString = config["Database:ConnectionString"] ?? "";
        if (string.IsNullOrWhiteSpace(database.ConnectionString))
            problems.Add("Database:ConnectionString is required.");
        database.MigrateOnStart = config.GetValue("Database:MigrateOnStart", true);
        database.RefuseNestedConnections = config.GetValue("Database:RefuseNestedConnections", false);

        var portal = config.GetSection("Portal").Get<PortalOptions>() ?? new PortalOptions();
        if (string.IsNullOrWhiteSpace(config["Portal:PublicUrl"]))
            portal.PublicUrl = (env.IsDevelopment() ? ListeningUrl.FirstOf(config["urls"]) : null) ?? new PortalOptions().PublicUrl;
        if (!Uri.TryCreate(portal.PublicUrl, UriKind.Absolute, out _))
            problems.Add($"Portal:PublicUrl '{portal.PublicUrl}' must be an absolute URL such as https://portal.example.com.");

        var ssoSection = config.GetSection("Sso");
        var sso = new SsoOptions
        {
            Authority = ssoSection["Authority"],
            ClientId = ssoSection["ClientId"],
            ClientSecret = ssoSection["ClientSecret"],
            GroupsClaim = ssoSection["GroupsClaim"] ?? "groups",
            GroupMappings = ssoSection.GetSection("GroupMappings").Get<Dictionary<string, string[]>>() ?? [],
        };
        if (ssoSection.GetSection("Scopes").Get<string[]>() is { Length: > 0 } scopes)
            sso.Scopes = scopes;
        // Fail closed: without a setting the portal expects a real IdP; Development turns on the embedded one.
        var modeText = config["Sso:Mode"] ?? nameof(SsoMode.External);
        if (!Enum.TryParse<SsoMode>(modeText, ignoreCase: true, out var mode) || !Enum.IsDefined(mode))
            problems.Add($"Sso:Mode '{modeText}' is not supported: use Embedded or External.");
        sso.Mode = mode;
        if (sso.Mode == SsoMode.Embedded && !env.IsDevelopment())
            problems.Add($"Sso:Mode is Embedded, but the development identity provider runs only in the Development environment (this is '{env.EnvironmentName}'): set Sso:Mode to External and Sso:Authority to your IdP.");
        if (portal.SeedDemoData && !env.IsDevelopment())
            problems.Add($"Portal:SeedDemoData is true, but demo data is seeded only in the Development environment (this is '{env.EnvironmentName}'): set Portal:SeedDemoData to false.");
        if (sso.Mode == SsoMode.External)
        {
            if (!Uri.TryCreate(sso.Authority, UriKind.Absolute, out var authority))
                problems.Add("Sso:Authority is required when Sso:Mode is External: the issuer URL of your IdP, e.g. https://login.microsoftonline.com/{tenant}/v2.0.");
            else if (authority.Scheme != Uri.UriSchemeHttps && !env.IsDevelopment())
                problems.Add("Sso:Authority must use https outside Development.");
            if (string.IsNullOrWhiteSpace(sso.ClientId))
                problems.Add("Sso:ClientId is required when Sso:Mode is External.");
            if (string.IsNullOrWhiteSpace(sso.ClientSecret))
                problems.Add("Sso:ClientSecret is required when Sso:Mode is External.");
        }
        var mapping = global::Portal.Core.Teams.GroupMapping.Parse(sso.GroupMappings.ToDictionary(k => k.Key, v => v.Value));
        if (!mapping.IsSuccess)
            problems.Add(mapping.Error!.Message);

        var security = config.GetSection("Security").Get<SecurityOptions>() ?? new SecurityOptions();
        if (security.SessionRevalidationSeconds is < 1 or > 60)
            problems.Add("Security:SessionRevalidationSeconds must be between 1 and 60: revoked access must stop within a minute.");
        if (security.RateLimits.ApiPerMinute < 1 || security.RateLimits.SignInPerMinute < 1)
            problems.Add("Security:RateLimits:ApiPerMinute and Security:RateLimits:SignInPerMinute must be at least 1.");
        if (security.Events.PerActorPerMinute < 1 || security.Events.MaxStored < 1)
            problems.Add("Security:Events:PerActorPerMinute and Security:Events:MaxStored must be at least 1.");
        var proxies = ForwardedHeadersSettings.ParseAll("Security:ForwardedHeaders:KnownProxies", security.ForwardedHeaders.KnownProxies,
            "an IP address", problems, text => (IPAddress.TryParse(text, out var address), address!));
        var networks = ForwardedHeadersSettings.ParseAll("Security:ForwardedHeaders:KnownNetworks", security.ForwardedHeaders.KnownNetworks,
            "a network in CIDR notation such as 10.0.0.0/24", problems, text => (IPNetwork.TryParse(text, out var network), network));
        var keyProtection = config.GetSection("DataProtection").Get<KeyProtectionOptions>() ?? new KeyProtectionOptions();
        keyProtection.Certificate = KeyProtectionCertificate.Load(keyProtection, problems);
        var telemetry = config.GetSection("Telemetry").Get<TelemetryOptions>() ?? new TelemetryOptions();
        var artifacts = config.GetSection(ArtifactStoreOptions.Section).Get<ArtifactStoreOptions>() ?? new ArtifactStoreOptions();
        if (artifacts.Store.Equals("S3", StringComparison.OrdinalIgnoreCase))
        {
            if (string.IsNullOrWhiteSpace(artifacts.S3.Bucket))
                problems.Add("Artifacts:S3:Bucket is required when Artifacts:Store is S3.");
            if (artifacts.S3.ServiceUrl is { Length: > 0 } url && !Uri.TryCreate(url, UriKind.Absolute, out _))
                problems.Add($"Artifacts:S3:ServiceUrl '{url}' must be an absolute URL.");
        }
        else if (!artifacts.Store.Equals("FileSystem", StringComparison.OrdinalIgnoreCase))
            problems.Add($"Artifacts:Store '{artifacts.Store}' is not supported: use FileSystem or S3.");
        else if (string.IsNullOrWhiteSpace(artifacts.Root))
            problems.Add("Artifacts:Root is required: the folder that holds artifact blobs.");
        if (artifacts.MinFreeDiskBytes < 0)
            problems.Add("Artifacts:MinFreeDiskBytes must be zero or more.");
        var storage = config.GetSection(ArtifactStoreOptions.Section).Get<StorageOptions>() ?? new StorageOptions();
        problems.AddRange(storage.Problems());
        if (problems.Count > 0)
            throw new PortalConfigurationException(string.Join(" ", problems));
        return new PortalSettings(portal, sso, database, security, telemetry, artifacts, storage)
        {
            KeyProtection = keyProtection,
            KnownProxies = proxies,
            KnownNetworks = networks,
        };
    }
}
