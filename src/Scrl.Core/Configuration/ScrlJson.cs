using System.Text.Json;
using System.Text.Json.Serialization;

namespace Scrl.Core.Configuration;

/// <summary>The one JSON dialect of configs: camelCase, enums as strings, and unknown keys rejected.</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
    ReadCommentHandling = JsonCommentHandling.Skip,
    AllowTrailingCommas = true,
    WriteIndented = true)]
[JsonSerializable(typeof(PretrainConfig))]
public sealed partial class ScrlJsonContext : JsonSerializerContext;
