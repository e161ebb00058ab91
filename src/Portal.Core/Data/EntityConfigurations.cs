using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Portal.Core.Audit;
using Portal.Core.Teams;

namespace Portal.Core.Data;

internal sealed class TeamConfiguration : IEntityTypeConfiguration<Team>
{
    public void Configure(EntityTypeBuilder<Team> b)
    {
        b.ToTable("teams");
        b.HasKey(x => x.Id);
        b.Property(x => x.Slug).HasMaxLength(Common.Slug.MaxLength).IsRequired();
        b.HasIndex(x => x.Slug).IsUnique();
        b.Property(x => x.Name).HasMaxLength(Team.MaxNameLength).IsRequired();
        b.Property(x => x.Description).HasMaxLength(Team.MaxDescriptionLength).IsRequired();
    }
}

internal sealed class UserConfiguration : IEntityTypeConfiguration<User>
{
    public void Configure(EntityTypeBuilder<User> b)
    {
        b.ToTable("users");
        b.HasKey(x => x.Id);
        b.Property(x => x.Issuer).HasMaxLength(300).IsRequired();
        b.Property(x => x.Subject).HasMaxLength(200).IsRequired();
        b.HasIndex(x => new { x.Issuer, x.Subject }).IsUnique();
        b.Property(x => x.Name).HasMaxLength(200).IsRequired();
        b.Property(x => x.Email).HasMaxLength(320);
        b.Property(x => x.SecurityStamp).HasMaxLength(64).IsRequired();
        b.Property(x => x.Groups);
    }
}

internal sealed class TeamMembershipConfiguration : IEntityTypeConfiguration<TeamMembership>
{
    public void Configure(EntityTypeBuilder<TeamMembership> b)
    {
        b.ToTable("team_memberships");
        b.HasKey(x => x.Id);
        b.HasOne(x => x.Team).WithMany().HasForeignKey(x => x.TeamId).OnDelete(DeleteBehavior.Cascade);
        b.HasOne(x => x.User).WithMany().HasForeignKey(x => x.UserId).OnDelete(DeleteBehavior.Cascade);
        b.Property(x => x.SourceDetail).HasMaxLength(300).IsRequired();
        b.HasIndex(x => new { x.TeamId, x.UserId, x.Source, x.SourceDetail, x.Role }).IsUnique();
        b.HasIndex(x => x.UserId);
    }
}

internal sealed class GlobalRoleAssignmentConfiguration : IEntityTypeConfiguration<GlobalRoleAssignment>
{
    public void Configure(EntityTypeBuilder<GlobalRoleAssignment> b)
    {
        b.ToTable("global_role_assignments");
        b.HasKey(x => x.Id);
        b.HasOne(x => x.User).WithMany().HasForeignKey(x => x.UserId).OnDelete(DeleteBehavior.Cascade);
        b.Property(x => x.SourceDetail).HasMaxLength(300).IsRequired();
        b.HasIndex(x => new { x.UserId, x.Role, x.Source, x.SourceDetail }).IsUnique();
    }
}

internal sealed class ApiTokenConfiguration : IEntityTypeConfiguration<ApiToken>
{
    public void Configure(EntityTypeBuilder<ApiToken> b)
    {
        b.ToTable("api_tokens");
        b.HasKey(x => x.Id);
        b.HasOne(x => x.Team).WithMany().HasForeignKey(x => x.TeamId).OnDelete(DeleteBehavior.Cascade);
        b.Property(x => x.Name).HasMaxLength(ApiToken.MaxNameLength).IsRequired();
        b.Property(x => x.SecretHash).HasMaxLength(64).IsRequired();
        b.HasIndex(x => x.SecretHash).IsUnique();
        b.Property(x => x.Prefix).HasMaxLength(16).IsRequired();
        b.Property(x => x.CreatedByName).HasMaxLength(200).IsRequired();
    }
}

internal sealed class AuditEventConfiguration : IEntityTypeConfiguration<AuditEvent>
{
    public void Configure(EntityTypeBuilder<AuditEvent> b)
    {
        b.ToTable("audit_events");
        b.HasKey(x => x.Sequence);
        // The chain assigns sequences itself, under its lock, so they stay gap-free (ADR-010).
        b.Property(x => x.Sequence).ValueGeneratedNever().HasValueGenerator<Audit.Chain.PendingSequenceGenerator>();
        b.Property(x => x.Hash).HasMaxLength(32).IsRequired();
        b.Property(x => x.ActorId).HasMaxLength(200).IsRequired();
        b.Property(x => x.ActorName).HasMaxLength(200).IsRequired();
        b.Property(x => x.Action).HasMaxLength(100).IsRequired();
        b.Property(x => x.SubjectType).HasMaxLength(50).IsRequired();
        b.Property(x => x.SubjectId).HasMaxLength(200).IsRequired();
        b.Property(x => x.CorrelationId).HasMaxLength(100);
        b.Property(x => x.ClientAddress).HasMaxLength(64);
        b.HasIndex(x => new { x.TeamId, x.Sequence });
        b.HasIndex(x => new { x.SubjectType, x.SubjectId });
    }
}

internal sealed class DataProtectionKeyRecordConfiguration : IEntityTypeConfiguration<DataProtectionKeyRecord>
{
    public void Configure(EntityTypeBuilder<DataProtectionKeyRecord> b)
    {
        b.ToTable("data_protection_keys");
        b.HasKey(x => x.Id);
        b.Property(x => x.FriendlyName).HasMaxLength(200);
    }
}
