using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Portal.Core.Archiving;
using Portal.Core.Artifacts;
using Portal.Core.Teams;
using Portal.Core.Versions;

namespace Portal.Core.Data;

internal sealed class ArchiveRuleConfiguration : IEntityTypeConfiguration<ArchiveRule>
{
    public void Configure(EntityTypeBuilder<ArchiveRule> b)
    {
        b.ToTable("archive_rules");
        b.HasKey(x => x.Id);
        b.HasOne<Team>().WithMany().HasForeignKey(x => x.TeamId).OnDelete(DeleteBehavior.Cascade);
        // One rule per team; the platform default (no team) is kept single by the service.
        b.HasIndex(x => x.TeamId).IsUnique();
        b.Property(x => x.UpdatedBy).HasMaxLength(200).IsRequired();
        b.Property(x => x.Revision).IsConcurrencyToken();
    }
}

/// <summary>The archiving columns of versions (see AssetVersion.Archiving.cs); the registry's own configuration stays untouched.</summary>
internal sealed class AssetVersionArchivingConfiguration : IEntityTypeConfiguration<AssetVersion>
{
    public void Configure(EntityTypeBuilder<AssetVersion> b)
    {
        // The dry run filters a team's versions by stage and age: one index walk, whatever the team's size.
        b.HasIndex(x => new { x.TeamId, x.Stage, x.CreatedAt });
        b.HasIndex(x => x.ArchiveRunId);
    }
}

internal sealed class BlobArchivingConfiguration : IEntityTypeConfiguration<Blob>
{
    public void Configure(EntityTypeBuilder<Blob> b)
    {
        // Existing blobs are all in the hot store: the column's default says so for the rows already there.
        b.Property(x => x.Location).HasDefaultValue(BlobLocation.Hot);
        b.Property(x => x.MovingBy).HasMaxLength(Blob.MaxMoverLength);
    }
}
