using System.Reflection;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Schema;
using System.Text.RegularExpressions;
using System.Xml.Linq;

namespace Scrl.Pipeline.Specs;

/// <summary>
/// The published JSON schemas of <see cref="RunSpec"/> and <see cref="SweepSpec"/>, generated from the types through
/// <see cref="SpecJson.Options"/> (so they accept exactly what the reader accepts), with each property's default
/// and its XML-doc summary as description. Committed under <c>docs/schema/</c>; a test keeps the copies current.
/// </summary>
public static partial class SpecSchema
{
    public const string RunSpecFileName = "runspec.schema.json";
    public const string SweepSpecFileName = "sweepspec.schema.json";

    public static string RunSpecJson() => Generate(typeof(RunSpec), "Scrl.Cloud run spec");

    public static string SweepSpecJson() => Generate(typeof(SweepSpec), "Scrl.Cloud sweep spec");

    private static string Generate(Type root, string title)
    {
        var docs = XmlDocs.Load(root.Assembly);
        var exporterOptions = new JsonSchemaExporterOptions
        {
            TreatNullObliviousAsNonNullable = true,
            TransformSchemaNode = (context, schema) => Describe(context, schema, docs),
        };
        JsonNode schema = SpecJson.Options.GetJsonSchemaAsNode(root, exporterOptions);
        var document = new JsonObject
        {
            ["$schema"] = "https://json-schema.org/draft/2020-12/schema",
            ["title"] = title,
        };
        foreach ((string key, JsonNode? value) in schema.AsObject().ToArray())
        {
            schema.AsObject().Remove(key);
            document[key] = value;
        }
        var writeOptions = new JsonSerializerOptions { WriteIndented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
        return document.ToJsonString(writeOptions).ReplaceLineEndings("\n") + "\n";
    }

    private static JsonNode Describe(JsonSchemaExporterContext context, JsonNode schema, XmlDocs docs)
    {
        if (schema is not JsonObject node) return schema;
        if (context.PropertyInfo is { AttributeProvider: PropertyInfo property } info)
        {
            if (docs.Summary(property) is { } summary) node.Insert(0, "description", summary);
            if (!info.IsRequired && DefaultOf(info.DeclaringType, property) is { } value) node["default"] = value;
        }
        else if (context.Path.IsEmpty && docs.Summary(context.TypeInfo.Type) is { } typeSummary)
        {
            node.Insert(0, "description", typeSummary);
        }
        return node;
    }

    // The default is what a freshly constructed record holds: the same value a JSON document without the key gets.
    private static JsonNode? DefaultOf(Type declaringType, PropertyInfo property)
    {
        if (declaringType.GetConstructor(Type.EmptyTypes) is null) return null;
        object? value = property.GetValue(Activator.CreateInstance(declaringType));
        if (value is null || value is string { Length: 0 }) return null; // "no default": the value is required or optional
        return JsonSerializer.SerializeToNode(value, property.PropertyType, SpecJson.Options);
    }

    /// <summary>Summaries from the assembly's XML documentation file, as plain text.</summary>
    private sealed partial class XmlDocs(IReadOnlyDictionary<string, string> summaries)
    {
        public static XmlDocs Load(Assembly assembly)
        {
            string path = Path.ChangeExtension(assembly.Location, ".xml");
            if (!File.Exists(path)) throw new FileNotFoundException("The XML documentation file is needed for schema descriptions.", path);
            var summaries = XDocument.Load(path).Descendants("member")
                .Where(member => member.Element("summary") is not null)
                .ToDictionary(member => (string)member.Attribute("name")!, member => PlainText(member.Element("summary")!));
            return new XmlDocs(summaries);
        }

        public string? Summary(PropertyInfo property) =>
            summaries.GetValueOrDefault($"P:{property.DeclaringType!.FullName}.{property.Name}");

        public string? Summary(Type type) => summaries.GetValueOrDefault($"T:{type.FullName}");

        private static string PlainText(XElement summary)
        {
            foreach (XElement reference in summary.Descendants().Where(e => e.Name == "see" || e.Name == "paramref").ToArray())
            {
                string target = (string?)reference.Attribute("cref") ?? (string?)reference.Attribute("name") ?? "";
                int parameters = target.IndexOf('(');
                if (parameters >= 0) target = target[..parameters];   // M:Type.Method(System.String) -> Method
                string[] parts = target.Split(':', '.');
                // A type reads as its name, a member as Type.Member.
                reference.ReplaceWith(target.StartsWith("T:", StringComparison.Ordinal) || parts.Length < 2 ? parts[^1] : $"{parts[^2]}.{parts[^1]}");
            }
            return Whitespace().Replace(summary.Value, " ").Trim();
        }

        [GeneratedRegex(@"\s+")]
        private static partial Regex Whitespace();
    }
}
