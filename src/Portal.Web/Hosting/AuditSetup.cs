using Portal.Core.Audit;
using Portal.Core.Audit.Checkpoints;
using Portal.Infrastructure.Artifacts;
using Portal.Infrastructure.Audit;

namespace Portal.Web.Hosting;

/// <summary>Configuration section <c>Audit</c>: the checkpoint signing key, where checkpoints go, and the schedules.</summary>
public sealed class AuditOptions
{
    /// <summary>PEM of an ECDSA P-256 private key; takes precedence over <see cref="SigningKeyPath"/> (use a secret store in production).</summary>
    public string? SigningKey { get; set; }
    /// <summary>PEM file of the key; created on first start when missing (the embedded default keeps it under data/).</summary>
    public string SigningKeyPath { get; set; } = "data/audit-signing-key.pem";
    /// <summary>Directory (default) or S3 (the bucket of Artifacts:S3, under <see cref="CheckpointS3Prefix"/>).</summary>
    public string CheckpointStore { get; set; } = "Directory";
    public string CheckpointDirectory { get; set; } = "data/audit-checkpoints";
    public string CheckpointS3Prefix { get; set; } = "audit-checkpoints/";
    public string CheckpointCron { get; set; } = "*/15 * * * *";
    public string VerifyCron { get; set; } = "23 * * * *";
}

public static class AuditSetup
{
    public static void AddAuditTrail(this IServiceCollection services, IConfiguration configuration, ArtifactStoreOptions artifacts)
    {
        var options = configuration.GetSection("Audit").Get<AuditOptions>() ?? new AuditOptions();
        services.AddSingleton(options);
        services.AddSingleton(_ => LoadSigner(options));
        services.AddSingleton<ICheckpointStore>(_ => options.CheckpointStore.ToLowerInvariant() switch
        {
            "directory" => new DirectoryCheckpointStore(options.CheckpointDirectory),
            "s3" when artifacts.S3.Bucket is { Length: > 0 } bucket =>
                new S3CheckpointStore(ArtifactStores.CreateS3Client(artifacts.S3), bucket, options.CheckpointS3Prefix),
            "s3" => throw new PortalConfigurationException("Audit:CheckpointStore is S3, but Artifacts:S3:Bucket is empty."),
            _ => throw new PortalConfigurationException($"Audit:CheckpointStore '{options.CheckpointStore}' is not supported: use Directory or S3."),
        });
        services.AddScoped<AuditTrailService>();
        services.AddScoped<AuditProofService>();
        services.AddScoped<AuditQueryService>();
        services.AddTransient<SignAuditCheckpointJob>();
        services.AddTransient<VerifyAuditChainJob>();
    }

    /// <summary>
    /// Creates the checkpoint directory at start: the offline verifier reads it (README) from the first minute, before the first
    /// checkpoint is signed, and checks the chain alone until then.
    /// </summary>
    public static void PrepareCheckpointStore(IServiceProvider services)
    {
        if (services.GetRequiredService<ICheckpointStore>() is DirectoryCheckpointStore checkpoints)
            Directory.CreateDirectory(checkpoints.Directory);
    }

    private static CheckpointSigner LoadSigner(AuditOptions options)
    {
        try
        {
            return options.SigningKey is { Length: > 0 } pem ? CheckpointSigner.FromPem(pem) : CheckpointSigner.FromFile(options.SigningKeyPath);
        }
        catch (Exception e) when (e is System.Security.Cryptography.CryptographicException or ArgumentException or IOException or UnauthorizedAccessException)
        {
            throw new PortalConfigurationException($"Audit:SigningKey / Audit:SigningKeyPath: cannot load the ECDSA P-256 checkpoint key ({e.Message}).");
        }
    }
}
