using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;
using Portal.Core.Artifacts;
using Portal.Core.Assets;
using Portal.Core.Common;
using Portal.Core.Lineage;
using Portal.Core.ModelCards;
using Portal.Core.Teams;
using Portal.Core.Versions;

namespace Portal.Core.Data;

internal sealed class AssetConfiguration : IEntityTypeConfiguration<Asset>
{
    public void Configure(EntityTypeBuilder<Asset> b)
    {
        b.ToTable("assets");
        b.HasKey(x => x.Id);
        b.HasOne<Team>().WithMany().HasForeignKey(x => x.TeamId).OnDelete(DeleteBehavior.Restrict);
        b.Property(x => x.Name).HasMaxLength(Asset.MaxNameLength).IsRequired();
        b.HasIndex(x => new { x.TeamId, x.Name }).IsUnique();
        b.Property(x => x.Description).HasMaxLength(Asset.MaxDescriptionLength).IsRequired();
        b.Property(x => x.Owner).HasMaxLength(200).IsRequired();
        b.Property(x => x.CreatedBy).HasMaxLength(200).IsRequired();
        b.Property(x => x.Revision).IsConcurrencyToken();
        b.HasIndex(x => new { x.TeamId, x.Kind });
    }
}

internal sealed class AssetShareConfiguration : IEntityTypeConfiguration<AssetShare>
{
    public void Configure(EntityTypeBuilder<AssetShare> b)
    {
        b.ToTable("asset_shares");
        b.HasKey(x => new { x.AssetId, x.TeamId });
        b.HasOne<Asset>().WithMany().HasForeignKey(x => x.AssetId).OnDelete(DeleteBehavior.Cascade);
        b.HasOne<Team>().WithMany().HasForeignKey(x => x.TeamId).OnDelete(DeleteBehavior.Cascade);
        b.Property(x => x.SharedBy).HasMaxLength(200).IsRequired();
    }
}

/// <summary>A string dictionary kept as one JSON text column, the same on every provider.</summary>
internal static class JsonDictionary
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public static readonly ValueConverter<Dictionary<string, string>, string> Converter = new(
        v => JsonSerializer.Serialize(v, Json),
        v => JsonSerializer.Deserialize<Dictionary<string, string>>(v, Json) ?? new Dictionary<string, string>());

    // Compared entry by entry: change detection runs on every save of a tracked version, and serializing both sides each time was
    // the most expensive part of it.
    public static readonly ValueComparer<Dictionary<string, string>> Comparer = new(
        (a, c) => SameEntries(a, c),
        v => HashOf(v),
        v => new Dictionary<string, string>(v));

    private static bool SameEntries(Dictionary<string, string>? a, Dictionary<string, string>? c) =>
        ReferenceEquals(a, c) || (a is not null && c is not null && a.Count == c.Count
            && a.All(entry => c.TryGetValue(entry.Key, out var value) && string.Equals(value, entry.Value, StringComparison.Ordinal)));

    // Order-independent, as the equality is.
    private static int HashOf(Dictionary<string, string> v) =>
        v.Aggregate(v.Count, (hash, entry) => hash ^ HashCode.Combine(entry.Key, entry.Value));
}

internal sealed class AssetVersionConfiguration : IEntityTypeConfiguration<AssetVersion>
{
    public void Configure(EntityTypeBuilder<AssetVersion> b)
    {
        b.ToTable("asset_versions");
        b.HasKey(x => x.Id);
        b.HasOne<Asset>().WithMany().HasForeignKey(x => x.AssetId).OnDelete(DeleteBehavior.Restrict);
        b.Property(x => x.Version).HasMaxLength(100).IsRequired();
        b.HasIndex(x => new { x.AssetId, x.Version }).IsUnique();
        // At most one Production version per asset, whatever the code does (SQL Server filters out nulls itself).
        b.HasIndex(x => x.ProductionSlot).IsUnique();
        b.HasIndex(x => new { x.AssetId, x.Stage });
        // Lists, "latest" and the next-version hint walk an asset's versions in SemVer order on this index.
        b.Property(x => x.SortKey).HasMaxLength(VersionOrder.MaxKeyLength).IsRequired();
        b.HasIndex(x => new { x.AssetId, x.SortKey });
        // Version search walks versions newest first and stops at a page: this index makes that walk cheap.
        b.HasIndex(x => new { x.TeamId, x.CreatedAt, x.Id });
        b.HasOne<Team>().WithMany().HasForeignKey(x => x.TeamId).OnDelete(DeleteBehavior.Restrict);
        b.Property(x => x.Prerelease).HasMaxLength(100).IsRequired();
        b.Property(x => x.Description).HasMaxLength(Asset.MaxDescriptionLength).IsRequired();
        b.Property(x => x.GitRepository).HasMaxLength(AssetVersion.MaxGitRepositoryLength);
        b.Property(x => x.GitCommit).HasMaxLength(64);
        b.Property(x => x.ContainerImageDigest).HasMaxLength(100);
        b.Property(x => x.PipelineRunUrl).HasMaxLength(1000);
        b.Property(x => x.ExternalUri).HasMaxLength(1000);
        b.Property(x => x.ExternalHash).HasMaxLength(128);
        b.Property(x => x.CreatedBy).HasMaxLength(200).IsRequired();
        b.Property(x => x.CreatedByActorId).HasMaxLength(200);
        b.Property(x => x.Revision).IsConcurrencyToken();
        // Parameters are one JSON document: read whole, never queried by key.
        b.Property(x => x.Parameters).HasConversion(JsonDictionary.Converter, JsonDictionary.Comparer).IsRequired();
        b.Property(x => x.Schema).HasConversion(JsonDictionary.Converter, JsonDictionary.Comparer).IsRequired();
    }
}

internal sealed class ArtifactConfiguration : IEntityTypeConfiguration<Artifact>
{
    public void Configure(EntityTypeBuilder<Artifact> b)
    {
        b.ToTable("artifacts");
        b.HasKey(x => x.Id);
        b.HasOne<AssetVersion>().WithMany().HasForeignKey(x => x.VersionId).OnDelete(DeleteBehavior.Cascade);
        b.HasOne<Blob>().WithMany().HasForeignKey(x => x.Sha256).OnDelete(DeleteBehavior.Restrict);
        b.Property(x => x.Path).HasMaxLength(ArtifactPath.MaxLength).IsRequired();
        b.HasIndex(x => new { x.VersionId, x.Path }).IsUnique();
        b.Property(x => x.Sha256).HasMaxLength(64).IsRequired();
        b.Property(x => x.CreatedBy).HasMaxLength(200).IsRequired();
    }
}

internal sealed class BlobConfiguration : IEntityTypeConfiguration<Blob>
{
    public void Configure(EntityTypeBuilder<Blob> b)
    {
        b.ToTable("blobs");
        b.HasKey(x => x.Sha256);
        b.Property(x => x.Sha256).HasMaxLength(64);
    }
}

internal sealed class MetricConfiguration : IEntityTypeConfiguration<Metric>
{
    public void Configure(EntityTypeBuilder<Metric> b)
    {
        b.ToTable("metrics");
        b.HasKey(x => x.Id);
        b.Property(x => x.Id).ValueGeneratedOnAdd();
        b.HasOne<AssetVersion>().WithMany().HasForeignKey(x => x.VersionId).OnDelete(DeleteBehavior.Cascade);
        b.Property(x => x.Name).HasMaxLength(100).IsRequired();
        b.Property(x => x.Slice).HasMaxLength(200).IsRequired();
        b.Property(x => x.RecordedBy).HasMaxLength(200).IsRequired();
        b.HasIndex(x => new { x.VersionId, x.Name, x.Slice });
        // Version search by a metric threshold: a selective threshold reads its few matches here instead of
        // probing the team's versions one by one, newest first, until a page is found.
        b.HasIndex(x => new { x.Name, x.Slice, x.Value, x.VersionId });
        b.HasIndex(x => x.RunId);
    }
}

internal sealed class LineageEdgeConfiguration : IEntityTypeConfiguration<LineageEdge>
{
    public void Configure(EntityTypeBuilder<LineageEdge> b)
    {
        b.ToTable("lineage_edges");
        b.HasKey(x => x.Id);
        b.HasOne<AssetVersion>().WithMany().HasForeignKey(x => x.VersionId).OnDelete(DeleteBehavior.Cascade);
        b.HasOne<AssetVersion>().WithMany().HasForeignKey(x => x.UpstreamVersionId).OnDelete(DeleteBehavior.Restrict);
        b.HasIndex(x => new { x.VersionId, x.UpstreamVersionId, x.Kind }).IsUnique();
        b.HasIndex(x => x.UpstreamVersionId);
    }
}

internal sealed class ModelCardRevisionConfiguration : IEntityTypeConfiguration<ModelCardRevision>
{
    public void Configure(EntityTypeBuilder<ModelCardRevision> b)
    {
        b.ToTable("model_card_revisions");
        b.HasKey(x => x.Id);
        b.HasOne<AssetVersion>().WithMany().HasForeignKey(x => x.VersionId).OnDelete(DeleteBehavior.Cascade);
        b.HasIndex(x => new { x.VersionId, x.Number }).IsUnique();
        b.Property(x => x.CreatedBy).HasMaxLength(200).IsRequired();
        b.Property(x => x.Sections).HasConversion(JsonDictionary.Converter, JsonDictionary.Comparer).IsRequired();
    }
}

internal sealed class IdempotencyRecordConfiguration : IEntityTypeConfiguration<IdempotencyRecord>
{
    public void Configure(EntityTypeBuilder<IdempotencyRecord> b)
    {
        b.ToTable("idempotency_records");
        b.HasKey(x => new { x.CallerId, x.TeamId, x.Key });
        b.Property(x => x.Key).HasMaxLength(100);
        b.Property(x => x.CallerId).HasMaxLength(200);
        b.Property(x => x.Operation).HasMaxLength(100).IsRequired();
        b.Property(x => x.RequestHash).HasMaxLength(64).IsRequired();
    }
}
