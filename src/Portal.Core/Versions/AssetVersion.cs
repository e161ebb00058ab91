using Portal.Core.Common;
using Semver;

namespace Portal.Core.Versions;

public enum VersionStatus
{
    /// <summary>Registered, artifacts still arriving; nothing may depend on it yet.</summary>
    Pending = 1,
    /// <summary>Finalized: artifacts, parameters and lineage are immutable from here on.</summary>
    Ready = 2,
    /// <summary>Never finalized and given up; kept for the record.</summary>
    Abandoned = 3,
}

public sealed partial class AssetVersion
{
    public const int MaxParameters = 500;
    public const int MaxGitRepositoryLength = 500;

    public Guid Id { get; set; } = Guid.NewGuid();
    public Guid AssetId { get; set; }
    /// <summary>The owning team, copied from the asset (assets never change team) so team-wide searches use one index.</summary>
    public Guid TeamId { get; set; }
    private string _version = "";

    /// <summary>The SemVer 2.0 text as registered (normalized). Setting it sets <see cref="SortKey"/>; EF Core reads and writes the field.</summary>
    public required string Version
    {
        get => _version;
        set
        {
            _version = value;
            SortKey = VersionOrder.KeyOf(value);
        }
    }

    /// <summary>SemVer precedence as a key the database orders by (<see cref="VersionOrder"/>).</summary>
    public string SortKey { get; private set; } = "";
    // The numeric parts are stored separately so every database sorts versions correctly.
    public int Major { get; set; }
    public int Minor { get; set; }
    public int Patch { get; set; }
    public string Prerelease { get; set; } = "";
    public VersionStatus Status { get; set; } = VersionStatus.Pending;
    public string Description { get; set; } = "";
    public List<string> Tags { get; set; } = [];
    public Dictionary<string, string> Parameters { get; set; } = [];
    /// <summary>For a prompt template: the variables its text may use, declared at registration.</summary>
    public List<string> PromptVariables { get; set; } = [];
    public string? GitRepository { get; set; }
    public string? GitCommit { get; set; }
    public string? ContainerImageDigest { get; set; }
    public string? PipelineRunUrl { get; set; }
    /// <summary>For a dataset kept elsewhere: where it lives and its content hash (e.g. a DVC md5).</summary>
    public string? ExternalUri { get; set; }
    public string? ExternalHash { get; set; }
    /// <summary>For a dataset: how many rows it holds, when known.</summary>
    public long? RowCount { get; set; }
    /// <summary>For a dataset: column name to type (e.g. "age": "int64").</summary>
    public Dictionary<string, string> Schema { get; set; } = [];
    public DateTimeOffset CreatedAt { get; set; }
    public required string CreatedBy { get; set; }
    public string? CreatedByActorId { get; set; }
    public DateTimeOffset? FinalizedAt { get; set; }
    public int Revision { get; set; } = 1;
    public Lifecycle.Stage Stage { get; set; }
    public DateTimeOffset? StageChangedAt { get; set; }
    /// <summary>
    /// The asset's id while this version is in Production, else null. A unique index on it lets the
    /// database itself refuse a second Production version of one asset, on every provider.
    /// </summary>
    public Guid? ProductionSlot { get; private set; }

    public void MoveTo(Lifecycle.Stage stage, DateTimeOffset at)
    {
        Stage = stage;
        StageChangedAt = at;
        ProductionSlot = stage == Lifecycle.Stage.Production ? AssetId : null;
    }

    public static Result<SemVersion> ParseVersion(string text)
    {
        if (string.IsNullOrWhiteSpace(text) || text.Length > 100 || !SemVersion.TryParse(text.Trim(), SemVersionStyles.Strict, out var parsed))
            return Error.Validation("version.invalid", "Not a SemVer 2.0 version such as 1.4.0 or 2.0.0-rc.1.",
                new Dictionary<string, string[]> { ["version"] = ["A SemVer 2.0 version such as 1.4.0 or 2.0.0-rc.1, at most 100 characters."] });
        if (!string.IsNullOrEmpty(parsed.Metadata))
            return Error.Validation("version.invalid", "Build metadata (+...) does not identify a version; leave it out.");
        if (parsed.Major > int.MaxValue || parsed.Minor > int.MaxValue || parsed.Patch > int.MaxValue)
            return Error.Validation("version.invalid", "Version numbers above 2147483647 are not supported.");
        return parsed;
    }

    public static AssetVersion Create(Guid teamId, Guid assetId, SemVersion version, string createdBy, string? actorId, DateTimeOffset at) => new()
    {
        TeamId = teamId,
        AssetId = assetId,
        Version = version.ToString(),
        Major = (int)version.Major,
        Minor = (int)version.Minor,
        Patch = (int)version.Patch,
        Prerelease = version.Prerelease,
        CreatedBy = createdBy,
        CreatedByActorId = actorId,
        // Whole milliseconds, which every store keeps (SQLite's binary form keeps 0.1 ms, PostgreSQL 1 µs): the answer to a registration,
        // built before any read, equals the row read back later.
        CreatedAt = at.AddTicks(-(at.Ticks % TimeSpan.TicksPerMillisecond)),
    };

    /// <summary>The next patch, minor and major after the highest released version.</summary>
    public static (string Patch, string Minor, string Major) SuggestNext(IEnumerable<string> existing)
    {
        var highest = existing.Select(v => SemVersion.TryParse(v, SemVersionStyles.Strict, out var s) ? s : null)
            .OfType<SemVersion>()
            .Max(SemVersion.PrecedenceComparer);
        if (highest is null)
            return ("0.1.0", "0.1.0", "1.0.0");
        var core = highest.IsPrerelease ? new SemVersion(highest.Major, highest.Minor, highest.Patch) : null;
        return core is not null
            ? (core.ToString(), core.ToString(), core.ToString())
            : ($"{highest.Major}.{highest.Minor}.{highest.Patch + 1}", $"{highest.Major}.{highest.Minor + 1}.0", $"{highest.Major + 1}.0.0");
    }
}
