using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;
using Portal.Core.Artifacts;
using Portal.Core.Assets;
using Portal.Core.Audit;
using Portal.Core.Audit.Chain;
using Portal.Core.Common;
using Portal.Core.Lineage;
using Portal.Core.ModelCards;
using Portal.Core.Policies;
using Portal.Core.Security;
using Portal.Core.Versions;
using Portal.Core.Teams;

namespace Portal.Core.Data;

/// <summary>
/// The one context for every provider. Provider-specific parts (migrations, the development
/// identity provider's tables) are plugged in by Portal.Infrastructure through the options.
/// </summary>
public class PortalDbContext(DbContextOptions<PortalDbContext> options) : DbContext(options)
{
    public DbSet<Team> Teams => Set<Team>();
    public DbSet<User> Users => Set<User>();
    public DbSet<TeamMembership> TeamMemberships => Set<TeamMembership>();
    public DbSet<GlobalRoleAssignment> GlobalRoleAssignments => Set<GlobalRoleAssignment>();
    public DbSet<ApiToken> ApiTokens => Set<ApiToken>();
    public DbSet<AuditEvent> AuditEvents => Set<AuditEvent>();
    public DbSet<DataProtectionKeyRecord> DataProtectionKeys => Set<DataProtectionKeyRecord>();
    public DbSet<Asset> Assets => Set<Asset>();
    public DbSet<AssetShare> AssetShares => Set<AssetShare>();
    public DbSet<AssetVersion> Versions => Set<AssetVersion>();
    public DbSet<Artifact> Artifacts => Set<Artifact>();
    public DbSet<Blob> Blobs => Set<Blob>();
    public DbSet<Metric> Metrics => Set<Metric>();
    public DbSet<LineageEdge> LineageEdges => Set<LineageEdge>();
    public DbSet<IdempotencyRecord> IdempotencyRecords => Set<IdempotencyRecord>();
    public DbSet<ModelCardRevision> ModelCardRevisions => Set<ModelCardRevision>();
    public DbSet<Lifecycle.TransitionRequest> TransitionRequests => Set<Lifecycle.TransitionRequest>();
    public DbSet<Lifecycle.TransitionDecision> TransitionDecisions => Set<Lifecycle.TransitionDecision>();
    public DbSet<Lifecycle.StageChange> StageChanges => Set<Lifecycle.StageChange>();
    public DbSet<Lifecycle.AssetAlias> Aliases => Set<Lifecycle.AssetAlias>();
    public DbSet<PolicyRevision> PolicyRevisions => Set<Policies.PolicyRevision>();
    public DbSet<SecurityEvent> SecurityEvents => Set<SecurityEvent>();
    public DbSet<Exports.AuditExport> AuditExports => Set<Exports.AuditExport>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        base.OnModelCreating(modelBuilder);
        modelBuilder.ApplyConfigurationsFromAssembly(typeof(PortalDbContext).Assembly);
    }

    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder)
    {
        // Enums are stored by name: readable in SQL and safe when members are reordered.
        configurationBuilder.Properties<Enum>().HaveConversion<string>().HaveMaxLength(32);
        // SQLite keeps DateTimeOffset as text, which it cannot order or compare; a sortable number can.
        if (Database.ProviderName == "Microsoft.EntityFrameworkCore.Sqlite")
            configurationBuilder.Properties<DateTimeOffset>().HaveConversion<DateTimeOffsetToBinaryConverter>();
    }

    public override int SaveChanges(bool acceptAllChangesOnSuccess)
    {
        GuardAppendOnly();
        if (AuditChain.HasPending(this))
            throw AuditChain.SynchronousSaveRefused();
        return base.SaveChanges(acceptAllChangesOnSuccess);
    }

    public override Task<int> SaveChangesAsync(bool acceptAllChangesOnSuccess, CancellationToken cancellationToken = default)
    {
        GuardAppendOnly();
        return AuditChain.HasPending(this)
            ? AuditChain.SaveAsync(this, acceptAllChangesOnSuccess, (accept, ct) => base.SaveChangesAsync(accept, ct), cancellationToken)
            : base.SaveChangesAsync(acceptAllChangesOnSuccess, cancellationToken);
    }

    private void GuardAppendOnly()
    {
        foreach (var entry in ChangeTracker.Entries<AuditEvent>())
        {
            if (entry.State is EntityState.Modified or EntityState.Deleted)
                throw new InvalidOperationException("Audit events are append-only.");
        }
        foreach (var entry in ChangeTracker.Entries<Metric>())
        {
            if (entry.State is EntityState.Modified or EntityState.Deleted)
                throw new InvalidOperationException("Metrics are append-only.");
        }
    }
}
