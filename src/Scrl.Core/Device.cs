using static TorchSharp.torch;

namespace Scrl.Core;

/// <summary>Resolves the one device flag (<c>cpu</c> or <c>cuda[:n]</c>) every entry point takes.</summary>
public static class Devices
{
    public static Device Parse(string name)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        if (name.StartsWith("cuda", StringComparison.OrdinalIgnoreCase) && !cuda.is_available())
            throw new ArgumentException($"Device '{name}' was requested but CUDA is not available in this build " +
                                        "(build with -p:TorchBackend=cuda on a machine with an NVIDIA driver).", nameof(name));
        return new Device(name);
    }
}
