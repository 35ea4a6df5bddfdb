using System.Collections;
using Razorvine.Pickle;
using TorchSharp.PyBridge;
using static TorchSharp.torch;

namespace Scrl.Core.Interop;

/// <summary>
/// Reads ResNet trunk weights, keyed like torchvision, from any checkpoint layout we meet:
/// a torchvision state dict (<c>fc.*</c> dropped; our own exports are this layout without fc),
/// an official SCRL checkpoint (<c>online_network_state_dict</c>, <c>encoder.N.*</c> renamed,
/// <c>projector.*</c> dropped), or that online-network state dict saved on its own.
/// A <c>module.</c> prefix from DataParallel/DDP is stripped in all of them. Our own training checkpoints
/// (<c>.ckpt</c>, safetensors) give their online encoder.
/// </summary>
public static class CheckpointImport
{
    private const string ScrlNetworkEntry = "online_network_state_dict";
    private const string DataParallelPrefix = "module.";

    /// <summary>Loads the trunk weights of <paramref name="path"/> onto the CPU; the caller owns (and disposes) the tensors.</summary>
    /// <exception cref="InvalidDataException">The file is not a <c>torch.save</c> zip, or its layout is none of the above.</exception>
    /// <exception cref="CheckpointMismatchException">The weights are not exactly one torchvision ResNet trunk.</exception>
    public static Dictionary<string, Tensor> LoadBackbone(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (!File.Exists(path)) throw new FileNotFoundException($"Checkpoint '{path}' does not exist.", path);
        if (path.EndsWith(".ckpt", StringComparison.OrdinalIgnoreCase) || path.EndsWith(".safetensors", StringComparison.OrdinalIgnoreCase))
            return FromSafetensors(path);
        Hashtable root = Unpickle(path);
        Dictionary<string, Tensor>? result = null;
        try
        {
            var (stateDict, isScrlNetwork) = FindStateDict(root, path);
            var backbone = isScrlNetwork ? FromScrlNetwork(stateDict, path) : FromTorchvision(stateDict);
            ResNetLayout.Match(backbone.Keys, $"'{path}'");
            return result = backbone;
        }
        finally
        {
            // The file may also hold a target network, projector and optimizer state: free all but the
            // returned trunk (or everything, if we throw).
            var keep = new HashSet<object>(result?.Values ?? Enumerable.Empty<Tensor>(), ReferenceEqualityComparer.Instance);
            DisposeTensorsExcept(root, keep);
        }
    }

    private static Dictionary<string, Tensor> FromSafetensors(string path)
    {
        var all = Safetensors.LoadStateDict(path);
        var online = Training.ScrlTrainer.OnlineBackbone(all);
        var backbone = online.Count > 0 ? online : all;
        foreach (var t in all.Values.Except(backbone.Values)) t.Dispose();
        ResNetLayout.Match(backbone.Keys, $"'{path}'");
        return backbone;
    }

    /// <summary>A whole <c>torch.save(model.state_dict())</c> file, e.g. a torchvision detector's; the caller owns the tensors.</summary>
    /// <exception cref="InvalidDataException">The file is no torch.save zip, or holds more than named tensors.</exception>
    public static Dictionary<string, Tensor> LoadStateDict(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (!File.Exists(path)) throw new FileNotFoundException($"Checkpoint '{path}' does not exist.", path);
        Hashtable root = Unpickle(path);
        if (root.Cast<DictionaryEntry>().All(e => e.Key is string && e.Value is Tensor))
            return root.Cast<DictionaryEntry>().ToDictionary(e => (string)e.Key, e => (Tensor)e.Value!, StringComparer.Ordinal);
        DisposeTensorsExcept(root, []);
        throw new InvalidDataException($"'{path}' is not a state dict: it holds more than named tensors.");
    }

    private static Hashtable Unpickle(string path)
    {
        try
        {
            using var stream = File.OpenRead(path);
            return PyTorchUnpickler.UnpickleStateDict(stream);
        }
        catch (Exception e) when (e is PickleException or NotImplementedException or InvalidDataException
                                       or InvalidCastException or InvalidOperationException)
        {
            // PyBridge reads only torch.save's zip format with a dict at the top, holding plain Python values
            // and tensors: other classes (numpy scalars, custom objects, whole nn.Modules) fail the whole file.
            throw new InvalidDataException(
                $"'{path}' cannot be read as a torch.save checkpoint: {e.Message} " +
                "If it holds Python objects other than tensors, numbers, strings, lists and dicts, re-save just the " +
                $"weights in Python: torch.save(ckpt['{ScrlNetworkEntry}'] or model.state_dict(), 'weights.pth').", e);
        }
    }

    private static (IDictionary StateDict, bool IsScrlNetwork) FindStateDict(Hashtable root, string path)
    {
        if (root[ScrlNetworkEntry] is IDictionary network) return (network, true);
        if (root.Count > 0 && root.Cast<DictionaryEntry>().All(e => e.Key is string && e.Value is Tensor))
            return (root, root.Keys.Cast<string>().Any(k => ScrlEncoderKeys.IsEncoder(StripDataParallel(k))));

        var entries = root.Cast<DictionaryEntry>()
            .Select(e => $"{e.Key} ({e.Value?.GetType().Name ?? "None"})").Order(StringComparer.Ordinal).Take(12);
        throw new InvalidDataException(
            $"'{path}' is neither a torchvision state dict nor an SCRL checkpoint (no '{ScrlNetworkEntry}'). " +
            $"Top-level entries: {string.Join(", ", entries)}{(root.Count > 12 ? ", ..." : "")}");
    }

    private static Dictionary<string, Tensor> FromTorchvision(IDictionary stateDict)
    {
        var backbone = new Dictionary<string, Tensor>(StringComparer.Ordinal);
        foreach (DictionaryEntry e in stateDict)
        {
            string key = StripDataParallel((string)e.Key);
            if (!key.StartsWith("fc.", StringComparison.Ordinal)) backbone[key] = (Tensor)e.Value!;
        }
        return backbone;
    }

    private static Dictionary<string, Tensor> FromScrlNetwork(IDictionary stateDict, string path)
    {
        var backbone = new Dictionary<string, Tensor>(StringComparer.Ordinal);
        var unknown = new List<string>();
        foreach (DictionaryEntry e in stateDict)
        {
            string key = StripDataParallel(e.Key.ToString()!);
            if (ScrlEncoderKeys.IsProjector(key)) continue;
            string? torchvisionKey = ScrlEncoderKeys.IsEncoder(key) ? ScrlEncoderKeys.ToTorchvision(key) : null;
            if (torchvisionKey is null || e.Value is not Tensor tensor) unknown.Add(key);
            else backbone[torchvisionKey] = tensor;
        }
        if (unknown.Count > 0)
            throw new CheckpointMismatchException($"'{path}' ({ScrlNetworkEntry})", [], unknown.Order(StringComparer.Ordinal).ToList());
        return backbone;
    }

    private static string StripDataParallel(string key) =>
        key.StartsWith(DataParallelPrefix, StringComparison.Ordinal) ? key[DataParallelPrefix.Length..] : key;

    private static void DisposeTensorsExcept(object? node, HashSet<object> keep)
    {
        switch (node)
        {
            case Tensor tensor:
                if (!keep.Contains(tensor)) tensor.Dispose();
                break;
            case IDictionary dict:
                foreach (DictionaryEntry e in dict) DisposeTensorsExcept(e.Value, keep);
                break;
            case IEnumerable items and not string:
                foreach (object? item in items) DisposeTensorsExcept(item, keep);
                break;
        }
    }
}
