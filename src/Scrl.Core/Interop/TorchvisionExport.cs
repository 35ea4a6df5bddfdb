using System.Collections;
using TorchSharp.PyBridge;
using static TorchSharp.torch;

using Scrl.Core.IO;

namespace Scrl.Core.Interop;

/// <summary>
/// Writes a backbone as a torchvision ResNet checkpoint: <c>torch.save</c>'s zip format, loadable with
/// <c>torchvision.models.resnetN().load_state_dict(torch.load(path), strict=False)</c> (only <c>fc.*</c> missing).
/// </summary>
public static class TorchvisionExport
{
    /// <summary>Validates the key set against the detected ResNet layout, then writes <paramref name="path"/> atomically.</summary>
    /// <param name="backbone">Torchvision-keyed trunk weights (no <c>fc.*</c>), on any device.</param>
    /// <param name="path">Destination <c>.pth</c>; replaced if it exists.</param>
    /// <returns>The layout the keys matched.</returns>
    /// <exception cref="CheckpointMismatchException">The keys are not exactly one torchvision ResNet trunk.</exception>
    public static ResNetLayout Save(IReadOnlyDictionary<string, Tensor> backbone, string path)
    {
        ArgumentNullException.ThrowIfNull(backbone);
        ArgumentException.ThrowIfNullOrEmpty(path);
        var layout = ResNetLayout.Match(backbone.Keys, $"backbone for '{path}'");

        using var scope = NewDisposeScope();
        var table = new Hashtable();
        foreach (string key in layout.BackboneKeys())
        {
            // detach: torch.load should see plain tensors (requires_grad=False), as state_dict() gives.
            // contiguous: PyBridge writes the storage bytes as they lie and rejects strided views.
            table[key] = backbone[key].detach().cpu().contiguous();
        }
        AtomicFile.Write(path, stream => PyTorchPickler.PickleStateDict(stream, table, leaveOpen: true));
        return layout;
    }
}
