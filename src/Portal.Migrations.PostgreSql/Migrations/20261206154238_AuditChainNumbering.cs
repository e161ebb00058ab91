using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Portal.Migrations.PostgreSql.Migrations
{
    /// <summary>A trigger numbers and hashes audit events as they are inserted (ADR-010); PostgreSQL only.</summary>
    public partial class AuditChainNumbering : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            Portal.Infrastructure.Data.AuditChainNumbering.Up(migrationBuilder);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            Portal.Infrastructure.Data.AuditChainNumbering.Down(migrationBuilder);
        }
    }
}
