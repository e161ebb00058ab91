using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Portal.Core.Policies;
using Portal.Core.Teams;

namespace Portal.Core.Data;

internal sealed class PolicyRevisionConfiguration : IEntityTypeConfiguration<PolicyRevision>
{
    public void Configure(EntityTypeBuilder<PolicyRevision> b)
    {
        b.ToTable("policy_revisions");
        b.HasKey(x => x.Id);
        b.HasOne<Team>().WithMany().HasForeignKey(x => x.TeamId).OnDelete(DeleteBehavior.Restrict);
        b.Property(x => x.Name).HasMaxLength(Common.Slug.MaxLength).IsRequired();
        // Two saves racing for the same next number: the database lets exactly one win.
        b.HasIndex(x => new { x.ScopeId, x.Name, x.Number }).IsUnique();
        b.HasIndex(x => x.TeamId);
        // Unbounded text on every provider (text, nvarchar(max), TEXT); the parser caps a policy at 64 KiB.
        b.Property(x => x.Yaml).IsRequired();
        b.Property(x => x.CreatedBy).HasMaxLength(200).IsRequired();
        b.Ignore(x => x.IsGlobal);
    }
}
