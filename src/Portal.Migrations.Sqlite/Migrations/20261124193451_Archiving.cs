using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Portal.Migrations.Sqlite.Migrations
{
    /// <inheritdoc />
    public partial class Archiving : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "Location",
                table: "blobs",
                type: "TEXT",
                maxLength: 32,
                nullable: false,
                defaultValue: "Hot");

            migrationBuilder.AddColumn<Guid>(
                name: "ArchiveRunId",
                table: "asset_versions",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<long>(
                name: "ArchivedAt",
                table: "asset_versions",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AddColumn<long>(
                name: "LastDownloadedAt",
                table: "asset_versions",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AddColumn<bool>(
                name: "LegalHold",
                table: "asset_versions",
                type: "INTEGER",
                nullable: false,
                defaultValue: false);

            migrationBuilder.AddColumn<long>(
                name: "PurgedAt",
                table: "asset_versions",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.CreateTable(
                name: "archive_rules",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    TeamId = table.Column<Guid>(type: "TEXT", nullable: true),
                    MinAgeDays = table.Column<int>(type: "INTEGER", nullable: false),
                    UnusedForDays = table.Column<int>(type: "INTEGER", nullable: false),
                    RetentionDays = table.Column<int>(type: "INTEGER", nullable: false),
                    Enabled = table.Column<bool>(type: "INTEGER", nullable: false),
                    UpdatedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    UpdatedBy = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    Revision = table.Column<int>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_archive_rules", x => x.Id);
                    table.ForeignKey(
                        name: "FK_archive_rules_teams_TeamId",
                        column: x => x.TeamId,
                        principalTable: "teams",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_asset_versions_ArchiveRunId",
                table: "asset_versions",
                column: "ArchiveRunId");

            migrationBuilder.CreateIndex(
                name: "IX_asset_versions_TeamId_Stage_CreatedAt",
                table: "asset_versions",
                columns: new[] { "TeamId", "Stage", "CreatedAt" });

            migrationBuilder.CreateIndex(
                name: "IX_archive_rules_TeamId",
                table: "archive_rules",
                column: "TeamId",
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "archive_rules");

            migrationBuilder.DropIndex(
                name: "IX_asset_versions_ArchiveRunId",
                table: "asset_versions");

            migrationBuilder.DropIndex(
                name: "IX_asset_versions_TeamId_Stage_CreatedAt",
                table: "asset_versions");

            migrationBuilder.DropColumn(
                name: "Location",
                table: "blobs");

            migrationBuilder.DropColumn(
                name: "ArchiveRunId",
                table: "asset_versions");

            migrationBuilder.DropColumn(
                name: "ArchivedAt",
                table: "asset_versions");

            migrationBuilder.DropColumn(
                name: "LastDownloadedAt",
                table: "asset_versions");

            migrationBuilder.DropColumn(
                name: "LegalHold",
                table: "asset_versions");

            migrationBuilder.DropColumn(
                name: "PurgedAt",
                table: "asset_versions");
        }
    }
}
