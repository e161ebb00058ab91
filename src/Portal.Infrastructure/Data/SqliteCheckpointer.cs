using Microsoft.Data.Sqlite;

namespace Portal.Infrastructure.Data;

/// <summary>
/// Copies one database file's write-ahead log into the file beside the writers instead of inside one of them. SQLite's automatic
/// checkpoint runs in the commit that crosses its threshold (a thousand pages): that writer, holding the one write turn, copies
/// the pages and waits for two fsyncs while every other writer waits for it. Measured under 32 writers (the lifecycle benchmark):
/// a commit took 0.45 ms on average with it inline and 0.22 ms without. A passive checkpoint takes no write lock, so one run on a
/// connection of its own every few dozen commits keeps the log copied while the writers go on, and one shortly after the last
/// commit copies what a pause leaves. <see cref="SqliteWriteQueue"/> holds one per file and tells it of each commit.
/// </summary>
internal sealed class SqliteCheckpointer(string connectionString)
{
    /// <summary>Commits between checkpoints: about SQLite's own thousand pages for units of work of a dozen pages.</summary>
    public const int CommitsPerCheckpoint = 64;

    /// <summary>
    /// The automatic checkpoint stays on, far above SQLite's default: it is what starts the log file over. A writer reuses the
    /// file from its start only if the log was wholly checkpointed when its transaction began, which under a steady stream of
    /// commits a checkpoint beside them never achieves; so the log grows to this many pages (64 MB), and the commit that crosses
    /// it checkpoints the few pages the passive runs have not yet copied. It also bounds a log that no commit of this process
    /// checkpoints (another process writing).
    /// </summary>
    public const int InlineFallbackPages = 16_000;

    // ReadWrite, not the default ReadWriteCreate: a run that outlives its file (a deleted test database) must not create it again.
    // An in-memory database has no log to checkpoint.
    private readonly string? _connectionString = new SqliteConnectionStringBuilder(connectionString) is { DataSource: not ":memory:", Mode: not SqliteOpenMode.Memory } file
        ? new SqliteConnectionStringBuilder(file.ConnectionString) { Mode = SqliteOpenMode.ReadWrite }.ToString()
        : null;

    /// <summary>
    /// How long after a commit the log's tail is copied if no count-triggered run copies it first: the last commits before a
    /// pause (fewer than <see cref="CommitsPerCheckpoint"/>, or those made while a run was on) would otherwise wait in the log
    /// for the next burst, and a run that a reader's older snapshot held back would not be tried again.
    /// </summary>
    public static readonly TimeSpan QuietDelay = TimeSpan.FromMilliseconds(250);

    private int _commits;
    private int _running;
    private int _followUpPending;
    private bool _behind;

    public void Committed()
    {
        if (_connectionString is null)
            return;
        if (Interlocked.Increment(ref _commits) >= CommitsPerCheckpoint)
            TryStart();
        ScheduleFollowUp();
    }

    private void TryStart()
    {
        if (Interlocked.Exchange(ref _running, 1) == 1)
            return;
        Interlocked.Exchange(ref _commits, 0);
        // A thread of its own: the run blocks in fsync, and on the thread pool it would hold one of the few threads (one of two
        // on two cores) that the writers' continuations wait for.
        _ = Task.Factory.StartNew(() => Checkpoint(_connectionString!), CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
    }

    // At most one pending at a time: under load a commit pays one interlocked exchange for it.
    private void ScheduleFollowUp()
    {
        if (Interlocked.Exchange(ref _followUpPending, 1) == 1)
            return;
        _ = Task.Delay(QuietDelay).ContinueWith(_ =>
        {
            Volatile.Write(ref _followUpPending, 0);
            if (Volatile.Read(ref _commits) > 0 || Volatile.Read(ref _behind))
                TryStart();
        }, CancellationToken.None, TaskContinuationOptions.None, TaskScheduler.Default);
    }

    private void Checkpoint(string connectionString)
    {
        var behind = false;
        try
        {
            using var connection = new SqliteConnection(connectionString);
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = "PRAGMA wal_checkpoint(PASSIVE);";
            // The driver retries a busy database until the command times out (30 s by default), and no run starts while one is on.
            command.CommandTimeout = 1;
            using var result = command.ExecuteReader();
            // (busy, frames in the log, frames copied): a reader on an older snapshot keeps the frames after it in the log.
            behind = result.Read() && (result.GetInt64(0) != 0 || result.GetInt64(2) < result.GetInt64(1));
        }
        catch (SqliteException)
        {
            // As with SQLite's own automatic checkpoints, a failed one is left to the next commit (not retried: the file may be
            // gone): nothing is lost, the log only stays longer.
        }
        finally
        {
            Volatile.Write(ref _behind, behind);
            Volatile.Write(ref _running, 0);
            if (behind || Volatile.Read(ref _commits) > 0)
                ScheduleFollowUp();
        }
    }
}
