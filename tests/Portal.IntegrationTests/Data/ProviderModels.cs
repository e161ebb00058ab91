using Portal.Infrastructure.Data;

namespace Portal.IntegrationTests.Data;

/// <summary>Each provider's model, built from a connection string that is never opened: for tests that read the model, not a database.</summary>
public static class ProviderModels
{
    public static TheoryData<DatabaseProvider, string> All => new()
    {
        { DatabaseProvider.Sqlite, "Data Source=:memory:" },
        { DatabaseProvider.PostgreSql, "Host=localhost;Database=none" },
        { DatabaseProvider.SqlServer, "Server=localhost;Database=none" },
    };
}
