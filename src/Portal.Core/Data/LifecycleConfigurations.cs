using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Portal.Core.Assets;
using Portal.Core.Lifecycle;
using Portal.Core.Teams;
using Portal.Core.Versions;

namespace Portal.Core.Data;

internal sealed class TransitionRequestConfiguration : IEntityTypeConfiguration<TransitionRequest>
{
    public void Configure(EntityTypeBuilder<TransitionRequest> b)
    {
        b.ToTable("transition_requests");
        b.HasKey(x => x.Id);
        b.HasOne<Team>().WithMany().HasForeignKey(x => x.TeamId).OnDelete(DeleteBehavior.Restrict);
        b.HasOne<Asset>().WithMany().HasForeignKey(x => x.AssetId).OnDelete(DeleteBehavior.Restrict);
        b.HasOne<AssetVersion>().WithMany().HasForeignKey(x => x.VersionId).OnDelete(DeleteBehavior.Restrict);
        b.Property(x => x.Target).HasMaxLength(80).IsRequired();
        b.Property(x => x.Justification).HasMaxLength(2000).IsRequired();
        b.Property(x => x.RequestedBy).HasMaxLength(200).IsRequired();
        b.Property(x => x.RequestedByActorId).HasMaxLength(100).IsRequired();
        b.Property(x => x.RequestedByPersonKey).HasMaxLength(100).IsRequired();
        b.Property(x => x.ClosedBy).HasMaxLength(200);
        b.Property(x => x.CloseReason).HasMaxLength(2000);
        b.Property(x => x.EvaluationJson).IsRequired();
        b.Property(x => x.RequiredApprovalsJson).IsRequired();
        b.Property(x => x.ApprovingTeams);
        // Every decision bumps it: of two racing decisions or a decision and a cancel, one wins.
        b.Property(x => x.Revision).IsConcurrencyToken();
        b.HasIndex(x => new { x.State, x.CreatedAt });
        b.HasIndex(x => new { x.TeamId, x.State, x.CreatedAt });
        b.HasIndex(x => new { x.VersionId, x.State });
    }
}

internal sealed class TransitionDecisionConfiguration : IEntityTypeConfiguration<TransitionDecision>
{
    public void Configure(EntityTypeBuilder<TransitionDecision> b)
    {
        b.ToTable("transition_decisions");
        b.HasKey(x => x.Id);
        b.HasOne<TransitionRequest>().WithMany().HasForeignKey(x => x.RequestId).OnDelete(DeleteBehavior.Cascade);
        b.Property(x => x.Comment).HasMaxLength(2000).IsRequired();
        b.Property(x => x.ActorId).HasMaxLength(100).IsRequired();
        b.Property(x => x.ActorName).HasMaxLength(200).IsRequired();
        b.Property(x => x.PersonKey).HasMaxLength(100).IsRequired();
        b.Property(x => x.Team).HasMaxLength(64).IsRequired();
        // A replayed approval cannot count twice.
        b.HasIndex(x => new { x.RequestId, x.PersonKey }).IsUnique();
    }
}

internal sealed class StageChangeConfiguration : IEntityTypeConfiguration<StageChange>
{
    public void Configure(EntityTypeBuilder<StageChange> b)
    {
        b.ToTable("stage_changes");
        b.HasKey(x => x.Id);
        b.HasOne<AssetVersion>().WithMany().HasForeignKey(x => x.VersionId).OnDelete(DeleteBehavior.Cascade);
        b.Property(x => x.ChangedBy).HasMaxLength(200).IsRequired();
        b.Property(x => x.Reason).HasMaxLength(StageChange.MaxReasonLength).IsRequired();
        b.HasIndex(x => new { x.VersionId, x.Id });
        b.HasIndex(x => new { x.AssetId, x.Id });
    }
}

internal sealed class AssetAliasConfiguration : IEntityTypeConfiguration<AssetAlias>
{
    public void Configure(EntityTypeBuilder<AssetAlias> b)
    {
        b.ToTable("asset_aliases");
        b.HasKey(x => x.Id);
        b.HasOne<Asset>().WithMany().HasForeignKey(x => x.AssetId).OnDelete(DeleteBehavior.Cascade);
        b.HasOne<AssetVersion>().WithMany().HasForeignKey(x => x.VersionId).OnDelete(DeleteBehavior.Restrict);
        b.Property(x => x.Name).HasMaxLength(64).IsRequired();
        b.Property(x => x.UpdatedBy).HasMaxLength(200).IsRequired();
        b.Property(x => x.Revision).IsConcurrencyToken();
        b.HasIndex(x => new { x.AssetId, x.Name }).IsUnique();
    }
}
