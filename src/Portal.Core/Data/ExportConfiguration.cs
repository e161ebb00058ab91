using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Portal.Core.Exports;

namespace Portal.Core.Data;

internal sealed class AuditExportConfiguration : IEntityTypeConfiguration<AuditExport>
{
    public void Configure(EntityTypeBuilder<AuditExport> b)
    {
        b.ToTable("audit_exports");
        b.HasKey(x => x.Id);
        b.Property(x => x.TeamSlug).HasMaxLength(100);
        b.Property(x => x.AssetName).HasMaxLength(200);
        b.Property(x => x.RequestedByKey).HasMaxLength(200).IsRequired();
        b.Property(x => x.RequestedBy).HasMaxLength(200).IsRequired();
        b.Property(x => x.ProgressNote).HasMaxLength(200).IsRequired();
        b.Property(x => x.FileName).HasMaxLength(400);
        b.Property(x => x.Sha256).HasMaxLength(64);
        b.Property(x => x.Failure).HasMaxLength(1000);
        // The hash check looks files up by digest; people list their own exports, newest first.
        b.HasIndex(x => x.Sha256);
        b.HasIndex(x => new { x.RequestedByKey, x.RequestedAt });
    }
}
