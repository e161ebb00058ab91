using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;
using Portal.Core.Assets;
using Portal.Core.GoldenChecks;
using Portal.Core.Jobs;
using Portal.Core.Teams;
using Portal.Core.Versions;

namespace Portal.Core.Data;

/// <summary>A value kept as one JSON text column, the same on every provider; read whole, never queried inside.</summary>
internal static class JsonColumn<T> where T : class, new()
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public static readonly ValueConverter<T, string> Converter = new(
        v => JsonSerializer.Serialize(v, Json),
        v => JsonSerializer.Deserialize<T>(v, Json) ?? new T());

    public static readonly ValueComparer<T> Comparer = new(
        (a, c) => JsonSerializer.Serialize(a, Json) == JsonSerializer.Serialize(c, Json),
        v => JsonSerializer.Serialize(v, Json).GetHashCode(StringComparison.Ordinal),
        v => JsonSerializer.Deserialize<T>(JsonSerializer.Serialize(v, Json), Json)!);
}

internal sealed class GoldenCheckConfiguration : IEntityTypeConfiguration<GoldenCheck>
{
    public void Configure(EntityTypeBuilder<GoldenCheck> b)
    {
        b.ToTable("golden_checks");
        b.HasKey(x => x.Id);
        b.HasOne<Team>().WithMany().HasForeignKey(x => x.TeamId).OnDelete(DeleteBehavior.Restrict);
        b.HasOne<Asset>().WithMany().HasForeignKey(x => x.AssetId).OnDelete(DeleteBehavior.Restrict);
        b.HasOne<AssetVersion>().WithMany().HasForeignKey(x => x.DatasetVersionId).OnDelete(DeleteBehavior.Restrict);
        b.Property(x => x.Name).HasMaxLength(GoldenCheck.MaxNameLength).IsRequired();
        b.HasIndex(x => new { x.AssetId, x.Name }).IsUnique();
        b.Property(x => x.DatasetPath).HasMaxLength(500).IsRequired();
        b.Property(x => x.LabelColumn).HasMaxLength(200);
        b.Property(x => x.PositiveClass).HasMaxLength(200);
        b.Property(x => x.Cron).HasMaxLength(100);
        b.Property(x => x.CreatedBy).HasMaxLength(200).IsRequired();
        b.Property(x => x.Thresholds).HasConversion(JsonColumn<Dictionary<string, double>>.Converter, JsonColumn<Dictionary<string, double>>.Comparer).IsRequired();
        b.Property(x => x.Revision).IsConcurrencyToken();
    }
}

internal sealed class GoldenCheckResultConfiguration : IEntityTypeConfiguration<GoldenCheckResult>
{
    public void Configure(EntityTypeBuilder<GoldenCheckResult> b)
    {
        b.ToTable("golden_check_results");
        b.HasKey(x => x.Id);
        b.HasOne<JobRun>().WithMany().HasForeignKey(x => x.RunId).OnDelete(DeleteBehavior.Restrict);
        // One result set per run, whatever replays a crash causes.
        b.HasIndex(x => x.RunId).IsUnique();
        b.HasOne<GoldenCheck>().WithMany().HasForeignKey(x => x.CheckId).OnDelete(DeleteBehavior.Restrict);
        b.HasOne<AssetVersion>().WithMany().HasForeignKey(x => x.VersionId).OnDelete(DeleteBehavior.Restrict);
        b.HasIndex(x => new { x.CheckId, x.CompletedAt });
        b.HasIndex(x => new { x.VersionId, x.CompletedAt });
        b.HasIndex(x => new { x.AssetId, x.CompletedAt });
        b.Property(x => x.Version).HasMaxLength(100).IsRequired();
        b.Property(x => x.DatasetVersion).HasMaxLength(100).IsRequired();
        b.Property(x => x.DatasetSha256).HasMaxLength(64).IsRequired();
        b.Property(x => x.ModelSha256).HasMaxLength(64).IsRequired();
        b.Property(x => x.Runtime).HasMaxLength(20).IsRequired();
        b.Property(x => x.Findings).HasConversion(JsonColumn<List<GoldenFinding>>.Converter, JsonColumn<List<GoldenFinding>>.Comparer).IsRequired();
    }
}

internal sealed class NotificationConfiguration : IEntityTypeConfiguration<Notification>
{
    public void Configure(EntityTypeBuilder<Notification> b)
    {
        b.ToTable("notifications");
        b.HasKey(x => x.Id);
        b.HasOne<Team>().WithMany().HasForeignKey(x => x.TeamId).OnDelete(DeleteBehavior.Cascade);
        b.Property(x => x.Audience).HasMaxLength(40).IsRequired();
        b.Property(x => x.Kind).HasMaxLength(60).IsRequired();
        b.Property(x => x.Title).HasMaxLength(300).IsRequired();
        b.Property(x => x.Body).HasMaxLength(Notification.MaxBodyLength).IsRequired();
        b.HasIndex(x => new { x.TeamId, x.CreatedAt });
    }
}
