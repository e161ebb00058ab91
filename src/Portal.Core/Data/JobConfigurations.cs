using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Portal.Core.Jobs;
using Portal.Core.Teams;

namespace Portal.Core.Data;

internal sealed class JobRunConfiguration : IEntityTypeConfiguration<JobRun>
{
    public void Configure(EntityTypeBuilder<JobRun> b)
    {
        b.ToTable("job_runs");
        b.HasKey(x => x.Id);
        b.HasOne<Team>().WithMany().HasForeignKey(x => x.TeamId).OnDelete(DeleteBehavior.Restrict);
        b.Property(x => x.Kind).HasMaxLength(40).IsRequired();
        b.Property(x => x.SubjectType).HasMaxLength(40).IsRequired();
        b.Property(x => x.SubjectId).HasMaxLength(100).IsRequired();
        b.Property(x => x.SubjectLabel).HasMaxLength(300).IsRequired();
        b.Property(x => x.Reason).HasMaxLength(JobRun.MaxReasonLength);
        b.Property(x => x.Trigger).HasMaxLength(40).IsRequired();
        b.Property(x => x.RequestedBy).HasMaxLength(200).IsRequired();
        b.Property(x => x.IdempotencyKey).HasMaxLength(200);
        b.Property(x => x.TicketHash).HasMaxLength(64);
        b.Property(x => x.ClaimedBy).HasMaxLength(200);
        // Two starts of the same tick or event race: one insert wins, the other finds it.
        b.HasIndex(x => new { x.Kind, x.IdempotencyKey }).IsUnique();
        // A claim (Queued -> Running) and a finish bump it: of two workers on one run, one wins.
        b.Property(x => x.Revision).IsConcurrencyToken();
        b.HasIndex(x => new { x.TeamId, x.QueuedAt });
        b.HasIndex(x => new { x.State, x.DeadlineAt });
        b.HasIndex(x => new { x.Kind, x.SubjectType, x.SubjectId, x.QueuedAt });
    }
}
