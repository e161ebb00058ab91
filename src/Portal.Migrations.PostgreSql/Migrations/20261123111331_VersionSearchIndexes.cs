using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Portal.Migrations.PostgreSql.Migrations
{
    /// <inheritdoc />
    public partial class VersionSearchIndexes : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_metrics_Name_Value",
                table: "metrics");

            migrationBuilder.AddColumn<Guid>(
                name: "TeamId",
                table: "asset_versions",
                type: "uuid",
                nullable: false,
                defaultValue: new Guid("00000000-0000-0000-0000-000000000000"));

            // Versions registered before this migration take their asset's team (assets never change team).
            migrationBuilder.Sql("UPDATE asset_versions SET \"TeamId\" = (SELECT a.\"TeamId\" FROM assets a WHERE a.\"Id\" = asset_versions.\"AssetId\")");

            migrationBuilder.CreateIndex(
                name: "IX_asset_versions_TeamId_CreatedAt_Id",
                table: "asset_versions",
                columns: new[] { "TeamId", "CreatedAt", "Id" });

            migrationBuilder.AddForeignKey(
                name: "FK_asset_versions_teams_TeamId",
                table: "asset_versions",
                column: "TeamId",
                principalTable: "teams",
                principalColumn: "Id",
                onDelete: ReferentialAction.Restrict);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropForeignKey(
                name: "FK_asset_versions_teams_TeamId",
                table: "asset_versions");

            migrationBuilder.DropIndex(
                name: "IX_asset_versions_TeamId_CreatedAt_Id",
                table: "asset_versions");

            migrationBuilder.DropColumn(
                name: "TeamId",
                table: "asset_versions");

            migrationBuilder.CreateIndex(
                name: "IX_metrics_Name_Value",
                table: "metrics",
                columns: new[] { "Name", "Value" });
        }
    }
}
