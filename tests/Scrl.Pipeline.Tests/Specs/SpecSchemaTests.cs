using System.Text.Json.Nodes;
using Scrl.Pipeline.Specs;

namespace Scrl.Pipeline.Tests.Specs;

/// <summary>The schemas under docs/schema are generated from the spec types. When a spec changes, regenerate them with
/// <c>SCRL_UPDATE_SCHEMAS=1 dotnet test --filter SpecSchemaTests</c> and commit the result.</summary>
public sealed class SpecSchemaTests
{
    public static TheoryData<string> Files => [SpecSchema.RunSpecFileName, SpecSchema.SweepSpecFileName];

    [Theory]
    [MemberData(nameof(Files))]
    public void CommittedSchema_MatchesTheSpecTypes(string fileName)
    {
        string generated = Generate(fileName);
        string path = Path.Combine(RepositoryRoot(), "docs", "schema", fileName);
        if (Environment.GetEnvironmentVariable("SCRL_UPDATE_SCHEMAS") == "1")
        {
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            File.WriteAllText(path, generated);
        }

        Assert.True(File.Exists(path), $"{path} is missing; run with SCRL_UPDATE_SCHEMAS=1 to write it.");
        Assert.True(File.ReadAllText(path).ReplaceLineEndings("\n") == generated,
                    $"{path} is out of date with the spec types; run with SCRL_UPDATE_SCHEMAS=1 and commit it.");
    }

    [Fact]
    public void RunSpecSchema_RejectsUnknownKeysAndDocumentsDefaultsAndEnumNames()
    {
        JsonNode schema = JsonNode.Parse(SpecSchema.RunSpecJson())!;

        Assert.False(schema["additionalProperties"]!.GetValue<bool>());
        JsonNode properties = schema["properties"]!;
        Assert.Equal("scrl_200ep", properties["preset"]!["default"]!.GetValue<string>());
        Assert.Equal("resnet50", properties["backbone"]!["default"]!.GetValue<string>());
        Assert.Contains("imagefolder", properties["dataset"]!["properties"]!["format"]!["enum"]!.AsArray().Select(v => v!.GetValue<string>()));
        Assert.StartsWith("Name of the pretraining config preset", properties["preset"]!["description"]!.GetValue<string>());
        Assert.Equal("3.00:00:00", properties["stages"]!["properties"]!["pretrain"]!["default"]!["timeout"]!.GetValue<string>());
    }

    private static string Generate(string fileName) =>
        fileName == SpecSchema.RunSpecFileName ? SpecSchema.RunSpecJson() : SpecSchema.SweepSpecJson();

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Scrl.Cloud.sln"))) return dir.FullName;
        throw new DirectoryNotFoundException("Scrl.Cloud.sln not found above the test output folder.");
    }
}
