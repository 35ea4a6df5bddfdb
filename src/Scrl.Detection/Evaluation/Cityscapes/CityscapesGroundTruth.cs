namespace Scrl.Detection.Evaluation.Cityscapes;

/// <summary>One ground-truth region of an instanceIds image: an instance (id ≥ 1000) or a crowd/stuff region (id &lt; 1000).</summary>
/// <param name="InstanceId">The raw 16-bit value: <c>labelId * 1000 + k</c> for an instance, the label id for a crowd region.</param>
/// <param name="LabelId">The label id (<c>InstanceId / 1000</c>, or <c>InstanceId</c> under 1000).</param>
/// <param name="PixelCount">Pixels with this value.</param>
public sealed record CityscapesGroundTruthInstance(int InstanceId, int LabelId, int PixelCount)
{
    /// <summary>Whether this is a single object, not a crowd (<c>{class}group</c>) region.</summary>
    public bool IsInstance => InstanceId >= 1000;
}

/// <summary>
/// The ground truth of one image from its <c>*_gtFine_instanceIds.png</c>: the raw ids, and every region as
/// cityscapesScripts' <c>instances2dict</c> lists it (ascending id).
/// </summary>
public sealed class CityscapesGroundTruth
{
    private CityscapesGroundTruth(string name, int width, int height, ushort[] ids, IReadOnlyList<CityscapesGroundTruthInstance> regions)
    {
        Name = name;
        Width = width;
        Height = height;
        Ids = ids;
        Regions = regions;
    }

    /// <summary>Where the ids came from (the file path, or the caller's name).</summary>
    public string Name { get; }

    /// <summary>Image width in pixels.</summary>
    public int Width { get; }

    /// <summary>Image height in pixels.</summary>
    public int Height { get; }

    /// <summary>Raw ids, row-major [H*W].</summary>
    public ReadOnlyMemory<ushort> Ids { get; }

    /// <summary>Every distinct id with its label and pixel count, in ascending id order.</summary>
    public IReadOnlyList<CityscapesGroundTruthInstance> Regions { get; }

    /// <exception cref="FileNotFoundException">The PNG does not exist.</exception>
    /// <exception cref="InvalidDataException">Not a grayscale 8/16-bit PNG, or an id whose label labels.py does not know.</exception>
    public static CityscapesGroundTruth Read(string instanceIdsPng)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(instanceIdsPng);
        var (width, height, ids) = InstanceIdPngReader.Read(instanceIdsPng);
        return FromIds(instanceIdsPng, width, height, ids);
    }

    /// <param name="name">A name for messages (e.g. the image stem).</param>
    /// <param name="ids">Raw ids, row-major [H*W]; kept, not copied.</param>
    /// <exception cref="InvalidDataException">An id whose label labels.py does not know.</exception>
    public static CityscapesGroundTruth FromIds(string name, int width, int height, ushort[] ids)
    {
        ArgumentNullException.ThrowIfNull(ids);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(width);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(height);
        if (ids.Length != (long)width * height)
            throw new ArgumentException($"{name}: {ids.Length} ids for a {width}x{height} image.", nameof(ids));
        var counts = new int[ushort.MaxValue + 1];
        foreach (ushort id in ids) counts[id]++;
        var regions = new List<CityscapesGroundTruthInstance>();
        var unknown = new List<int>();
        for (int id = 0; id < counts.Length; id++)
        {
            if (counts[id] == 0) continue;
            int labelId = id < 1000 ? id : id / 1000;
            if (CityscapesLabels.Find(labelId) is null) unknown.Add(id);
            else regions.Add(new CityscapesGroundTruthInstance(id, labelId, counts[id]));
        }
        if (unknown.Count > 0)
            throw new InvalidDataException($"{name}: ids whose label id is not a Cityscapes label: {string.Join(", ", unknown.Take(20))}.");
        return new CityscapesGroundTruth(name, width, height, ids, regions);
    }
}
