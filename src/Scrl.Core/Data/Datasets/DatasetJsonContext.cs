using System.Text.Json.Serialization;

namespace Scrl.Core.Data.Datasets;

/// <summary>Source-generated json for dataset files we write ourselves (camelCase, like every Scrl file format).</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    WriteIndented = true)]
[JsonSerializable(typeof(DatasetValidationReport))]
public sealed partial class DatasetJsonContext : JsonSerializerContext;
