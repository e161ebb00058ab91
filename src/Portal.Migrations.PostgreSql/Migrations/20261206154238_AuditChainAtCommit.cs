using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Portal.Migrations.PostgreSql.Migrations
{
    /// <summary>Audit events join the chain inside their transaction's commit (ADR-010); PostgreSQL only.</summary>
    public partial class AuditChainAtCommit : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            Portal.Infrastructure.Data.AuditChainAtCommit.Up(migrationBuilder);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            Portal.Infrastructure.Data.AuditChainAtCommit.Down(migrationBuilder);
        }
    }
}
