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
    /// <summary>
    /// When this context's transaction took the audit chain's lock, or on PostgreSQL sent the INSERT whose trigger takes it (a Stopwatch
    /// timestamp), until the transaction ends.
    /// </summary>
    internal long? ChainHeldSince { get; set; }

    /// <summary>On PostgreSQL, the events this context's transaction saved, written with its COMMIT in one command (AuditChain).</summary>
    internal List<Microsoft.EntityFrameworkCore.ChangeTracking.EntityEntry<AuditEvent>>? ChainEventsAtCommit { get; set; }

    /// <summary>
    /// How many of <see cref="ChainEventsAtCommit"/> each open savepoint of the transaction had, the latest on top: a rollback to it
    /// drops the later ones. EF Core's interceptors do not name the savepoint, so a rollback is taken to be to the latest one, which
    /// is what EF Core's own savepoints do (the portal makes no others).
    /// </summary>
    internal Stack<int>? ChainSavepoints { get; set; }

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
    public DbSet<Jobs.JobRun> JobRuns => Set<Jobs.JobRun>();
    public DbSet<Archiving.ArchiveRule> ArchiveRules => Set<Archiving.ArchiveRule>();
    public DbSet<GoldenChecks.GoldenCheck> GoldenChecks => Set<GoldenChecks.GoldenCheck>();
    public DbSet<GoldenChecks.GoldenCheckResult> GoldenCheckResults => Set<GoldenChecks.GoldenCheckResult>();
    public DbSet<GoldenChecks.Notification> Notifications => Set<GoldenChecks.Notification>();

    private string? _providerName;

    /// <summary>
    /// The provider's name, asked once per context: EF Core's own property asks the provider's assembly for its name on every call,
    /// and the audit chain and a request's number ask on every save. A pooled context keeps its options, and so its provider.
    /// </summary>
    public string ProviderName => _providerName ??= Database.ProviderName!;

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        base.OnModelCreating(modelBuilder);
        modelBuilder.ApplyConfigurationsFromAssembly(typeof(PortalDbContext).Assembly);
        StringListComparer.ApplyTo(modelBuilder);
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

    public override async Task<int> SaveChangesAsync(bool acceptAllChangesOnSuccess, CancellationToken cancellationToken = default)
    {
        // Changes are detected once per save: every look at the tracked entries below (the guards, the chain) would otherwise
        // compare every tracked entity with its snapshot again. The chain only numbers and hashes events being added, whose
        // values are read from the entities as they are written.
        if (!ChangeTracker.AutoDetectChangesEnabled)
            return await SaveDetectedAsync(acceptAllChangesOnSuccess, cancellationToken);
        ChangeTracker.DetectChanges();
        ChangeTracker.AutoDetectChangesEnabled = false;
        try
        {
            return await SaveDetectedAsync(acceptAllChangesOnSuccess, cancellationToken);
        }
        finally
        {
            ChangeTracker.AutoDetectChangesEnabled = true;
        }
    }

    private Task<int> SaveDetectedAsync(bool acceptAllChangesOnSuccess, CancellationToken cancellationToken)
    {
        GuardAppendOnly();
        return AuditChain.HasPending(this)
            ? AuditChain.SaveAsync(this, acceptAllChangesOnSuccess, (accept, ct) => base.SaveChangesAsync(accept, ct), cancellationToken)
            : base.SaveChangesAsync(acceptAllChangesOnSuccess, cancellationToken);
    }

    /// <summary>
    /// Entity types whose rows change without an audit event by design: the log itself, its technical
    /// bookkeeping (idempotency replies, key rings, the refused-attempt stream, verification timestamps)
    /// and the identity provider's own tables.
    /// </summary>
    public static readonly IReadOnlySet<string> Unaudited = new HashSet<string>
    {
        nameof(AuditEvent), nameof(IdempotencyRecord), nameof(DataProtectionKeyRecord), nameof(SecurityEvent),
        // A run's progress is bookkeeping; its start and its outcome are audited by the job kinds.
        nameof(Jobs.JobRun),
    };

    /// <summary>Set by tests to hear of every save that changes audited data without writing an audit event (connection string, entity types).</summary>
    public static Action<string?, IReadOnlyList<string>>? UnauditedSaveObserver { get; set; }

    private readonly List<string> _unauditedInTransaction = [];

    /// <summary>
    /// A save inside an explicit transaction may leave its audit event to a later save of the same
    /// transaction (a request's event needs the request's generated id): such changes count as unaudited
    /// only if no later save of this context adds an event.
    /// </summary>
    private void ObserveUnauditedChanges()
    {
        if (UnauditedSaveObserver is not { } observer)
            return;
        if (AuditChain.HasPending(this))
        {
            _unauditedInTransaction.Clear();
            return;
        }
        var changed = ChangeTracker.Entries()
            .Where(e => e.State is EntityState.Added or EntityState.Modified or EntityState.Deleted)
            .Select(e => e.Metadata.ClrType)
            .Where(t => t.Namespace?.StartsWith("Portal.", StringComparison.Ordinal) == true && !Unaudited.Contains(t.Name))
            .Select(t => t.Name).Distinct().ToList();
        if (changed.Count > 0 && Database.CurrentTransaction is not null)
            _unauditedInTransaction.AddRange(changed);
        else if (changed.Count > 0)
            observer(Database.GetConnectionString(), changed);
    }

    /// <summary>The open connection's lease, set by the factory that opened it; it ends with this lease of the context.</summary>
    public ConnectionLease? Lease { get; set; }

    public override ValueTask DisposeAsync()
    {
        EndLease();
        return base.DisposeAsync();
    }

    public override void Dispose()
    {
        EndLease();
        base.Dispose();
    }

    private void EndLease()
    {
        ReportUnauditedInTransaction();
        Lease?.End();
        Lease = null;
    }

    // Contexts are pooled: what one lease noted must be reported and forgotten before the next lease begins.
    private void ReportUnauditedInTransaction()
    {
        if (_unauditedInTransaction.Count > 0)
            UnauditedSaveObserver?.Invoke(Database.GetConnectionString(), [.. _unauditedInTransaction.Distinct()]);
        _unauditedInTransaction.Clear();
    }

    private void GuardAppendOnly()
    {
        ObserveUnauditedChanges();
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
