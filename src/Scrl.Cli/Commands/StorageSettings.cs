using System.ComponentModel;
using Scrl.Cli.Datasets;
using Spectre.Console.Cli;

namespace Scrl.Cli.Commands;

/// <summary>Options shared by commands that read or write blob URLs.</summary>
public abstract class StorageSettings : CommandSettings
{
    [CommandOption("--connection-string <CS>")]
    [Description("Storage connection string for blob URLs (Azurite: UseDevelopmentStorage=true). Default: the " +
                 StorageLocation.ConnectionStringVariable + " environment variable, else DefaultAzureCredential (managed identity, az login).")]
    public string? ConnectionString { get; init; }
}
