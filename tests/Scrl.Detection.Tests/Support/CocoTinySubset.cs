using System.Text.Json.Nodes;

namespace Scrl.Detection.Tests.Support;

/// <summary>
/// The coco-tiny train images a tiny detector trained from scratch can learn within minutes: at most
/// <c>maxObjects</c> annotations, none crowd, every box at least <c>minSide</c> px on its shorter side.
/// Written as an instances json in a temp folder; the images stay in the shared folder.
/// </summary>
public static class CocoTinySubset
{
    /// <param name="instancesJson">coco-tiny's instances_train2017.json.</param>
    /// <param name="oneClass">Relabel every object as one category, "object": class-agnostic detection.</param>
    /// <returns>The subset's instances json path.</returns>
    public static string Write(string instancesJson, int maxObjects, double minSide, bool oneClass = false)
    {
        var root = JsonNode.Parse(File.ReadAllText(instancesJson))!.AsObject();
        var annotations = root["annotations"]!.AsArray().Select(a => a!.AsObject()).ToList();
        var byImage = annotations.ToLookup(a => a["image_id"]!.GetValue<long>());
        var kept = byImage
            .Where(g => g.Count() <= maxObjects && g.All(a => a["iscrowd"]!.GetValue<int>() == 0 && ShorterSide(a) >= minSide))
            .Select(g => g.Key).ToHashSet();
        var subset = new JsonObject
        {
            ["images"] = new JsonArray(root["images"]!.AsArray().Where(i => kept.Contains(i!["id"]!.GetValue<long>())).Select(i => i!.DeepClone()).ToArray()),
            ["annotations"] = new JsonArray(annotations.Where(a => kept.Contains(a["image_id"]!.GetValue<long>())).Select(a => a.DeepClone()).ToArray()),
            ["categories"] = root["categories"]!.DeepClone(),
        };
        if (oneClass)
        {
            foreach (var annotation in subset["annotations"]!.AsArray()) annotation!["category_id"] = 1;
            subset["categories"] = new JsonArray(new JsonObject { ["id"] = 1, ["name"] = "object" });
        }
        string path = Path.Combine(Directory.CreateTempSubdirectory("coco-tiny-subset").FullName, "instances_train2017.json");
        File.WriteAllText(path, subset.ToJsonString());
        return path;
    }

    private static double ShorterSide(JsonObject annotation)
    {
        var box = annotation["bbox"]!.AsArray();
        return Math.Min(box[2]!.GetValue<double>(), box[3]!.GetValue<double>());
    }
}
