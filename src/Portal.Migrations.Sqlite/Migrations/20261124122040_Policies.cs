using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Portal.Migrations.Sqlite.Migrations
{
    /// <inheritdoc />
    public partial class Policies : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<Guid>(
                name: "ProductionSlot",
                table: "asset_versions",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "Stage",
                table: "asset_versions",
                type: "TEXT",
                maxLength: 32,
                nullable: false,
                defaultValue: "");

            migrationBuilder.AddColumn<long>(
                name: "StageChangedAt",
                table: "asset_versions",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.CreateTable(
                name: "policy_revisions",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    TeamId = table.Column<Guid>(type: "TEXT", nullable: true),
                    ScopeId = table.Column<Guid>(type: "TEXT", nullable: false),
                    Name = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    Number = table.Column<int>(type: "INTEGER", nullable: false),
                    Yaml = table.Column<string>(type: "TEXT", nullable: false),
                    CreatedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    CreatedBy = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_policy_revisions", x => x.Id);
                    table.ForeignKey(
                        name: "FK_policy_revisions_teams_TeamId",
                        column: x => x.TeamId,
                        principalTable: "teams",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateIndex(
                name: "IX_asset_versions_AssetId_Stage",
                table: "asset_versions",
                columns: new[] { "AssetId", "Stage" });

            migrationBuilder.CreateIndex(
                name: "IX_asset_versions_ProductionSlot",
                table: "asset_versions",
                column: "ProductionSlot",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_policy_revisions_ScopeId_Name_Number",
                table: "policy_revisions",
                columns: new[] { "ScopeId", "Name", "Number" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_policy_revisions_TeamId",
                table: "policy_revisions",
                column: "TeamId");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "policy_revisions");

            migrationBuilder.DropIndex(
                name: "IX_asset_versions_AssetId_Stage",
                table: "asset_versions");

            migrationBuilder.DropIndex(
                name: "IX_asset_versions_ProductionSlot",
                table: "asset_versions");

            migrationBuilder.DropColumn(
                name: "ProductionSlot",
                table: "asset_versions");

            migrationBuilder.DropColumn(
                name: "Stage",
                table: "asset_versions");

            migrationBuilder.DropColumn(
                name: "StageChangedAt",
                table: "asset_versions");
        }
    }
}
