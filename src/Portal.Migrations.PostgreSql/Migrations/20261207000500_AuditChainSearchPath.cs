using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Portal.Migrations.PostgreSql.Migrations
{
    /// <summary>The audit chain's trigger reads the portal's own table whatever the session's search path; PostgreSQL only.</summary>
    public partial class AuditChainSearchPath : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            Portal.Infrastructure.Data.AuditChainNumbering.PinSearchPath(migrationBuilder);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            Portal.Infrastructure.Data.AuditChainNumbering.UnpinSearchPath(migrationBuilder);
        }
    }
}
