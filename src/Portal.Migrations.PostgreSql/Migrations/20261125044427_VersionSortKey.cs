using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Portal.Migrations.PostgreSql.Migrations
{
    /// <inheritdoc />
    public partial class VersionSortKey : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_asset_versions_AssetId_Major_Minor_Patch",
                table: "asset_versions");

            migrationBuilder.AddColumn<string>(
                name: "SortKey",
                table: "asset_versions",
                type: "character varying(426)",
                maxLength: 426,
                nullable: false,
                defaultValue: "");

            migrationBuilder.CreateIndex(
                name: "IX_asset_versions_AssetId_SortKey",
                table: "asset_versions",
                columns: new[] { "AssetId", "SortKey" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_asset_versions_AssetId_SortKey",
                table: "asset_versions");

            migrationBuilder.DropColumn(
                name: "SortKey",
                table: "asset_versions");

            migrationBuilder.CreateIndex(
                name: "IX_asset_versions_AssetId_Major_Minor_Patch",
                table: "asset_versions",
                columns: new[] { "AssetId", "Major", "Minor", "Patch" });
        }
    }
}
