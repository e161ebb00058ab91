using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Microsoft.EntityFrameworkCore.Metadata;
using Portal.Core.Audit;
using Portal.Migrations.SqlServer;

namespace Portal.IntegrationTests.Audit;

/// <summary>
/// No SQL Server runs here: the idempotent script (what infra/verify-migrations.sh writes) is read instead, so the
/// append-only trigger and the AuditChain rebuild of the sequence column are at least generated as intended.
/// Whether SQL Server accepts and enforces them is not checked by this test.
/// </summary>
public sealed class SqlServerAuditMigrationTests
{
    private const string AuditChain = "20261124161157_AuditChain";

    private static string Script()
    {
        using var db = new DesignTimeFactory().CreateDbContext([]);
        return db.GetService<IMigrator>().GenerateScript(options: MigrationsSqlGenerationOptions.Idempotent);
    }

    /// <summary>The statements an idempotent script runs only when the given migration has not been applied.</summary>
    private static string Block(string script, string migration)
    {
        var guard = $"IF NOT EXISTS (\n    SELECT * FROM [__EFMigrationsHistory]\n    WHERE [MigrationId] = N'{migration}'\n)";
        var parts = script.Replace("\r\n", "\n", StringComparison.Ordinal).Split(guard);
        Assert.True(parts.Length > 1, $"No statements guarded by {migration} in the script.");
        return string.Join("\n", parts.Skip(1).Select(p => p.Split("\nGO\n")[0]));
    }

    [Fact]
    public void The_AuditChain_migration_installs_an_INSTEAD_OF_UPDATE_DELETE_trigger_on_audit_events()
    {
        var block = Block(Script(), AuditChain);

        Assert.Matches(new Regex(@"CREATE TRIGGER audit_events_no_change ON audit_events INSTEAD OF UPDATE, DELETE AS\s+BEGIN\s+THROW 51000, '+audit_events is append-only'+, 1;"), block);
    }

    [Fact]
    public void After_the_AuditChain_migration_the_sequence_column_has_no_IDENTITY()
    {
        var script = Script();
        var block = Block(script, AuditChain);

        Assert.Contains("ALTER TABLE [audit_events] ADD [Sequence] bigint NULL;", block);
        Assert.Contains("ALTER TABLE [audit_events] DROP COLUMN [SequenceWithIdentity];", block);
        Assert.Contains("ALTER TABLE [audit_events] ADD CONSTRAINT [PK_audit_events] PRIMARY KEY ([Sequence]);", block);
        // No later migration gives the column an identity back.
        var later = script[(script.LastIndexOf(AuditChain, StringComparison.Ordinal) + AuditChain.Length)..];
        Assert.DoesNotMatch(new Regex(@"\[audit_events\][^;]*\[Sequence\][^;]*IDENTITY"), later);
        using var db = new DesignTimeFactory().CreateDbContext([]);
        var sequence = db.Model.FindEntityType(typeof(AuditEvent))!.FindProperty(nameof(AuditEvent.Sequence))!;
        Assert.Equal(ValueGenerated.Never, sequence.ValueGenerated);
        Assert.NotEqual(SqlServerValueGenerationStrategy.IdentityColumn, SqlServerPropertyExtensions.GetValueGenerationStrategy(sequence));
    }
}
