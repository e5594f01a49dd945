using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace Refilled.Engine.Runtime;

/// <summary>
/// Opens a file the way open(2) with O_NOFOLLOW does: a symbolic link as the last component is refused, not followed,
/// and whatever was opened must be a regular file (checked on the open handle, so nothing can be swapped in between).
/// Used for files in folders others may write to (run folders, the data root on a shared cluster file system).
/// </summary>
public static partial class NoFollowFile
{
    const int OpenReadOnly = 0, OpenWriteOnly = 1, OpenReadWrite = 2, OpenCreate = 0x40, OpenAppend = 0x400,
        OpenNonBlocking = 0x800, OpenCloseOnExec = 0x80000;
    const int ENOENT = 2, EACCES = 13, ELOOP = 40, EWOULDBLOCK = 11, ENXIO = 6, EISDIR = 21;
    const int LockShared = 1, LockExclusive = 2, LockNonBlocking = 4;
    const int AtWorkingDirectory = -100, AtEmptyPath = 0x1000, StatxType = 1, StatxModeOffset = 28, FileTypeMask = 0xF000, RegularFile = 0x8000;

    // O_NOFOLLOW is 0400000 on x86 and most architectures, 0100000 on the ARM family.
    static int OpenNoFollow => RuntimeInformation.ProcessArchitecture is Architecture.Arm64 or Architecture.Arm ? 0x8000 : 0x20000;

    /// <summary>
    /// <paramref name="mode"/> is Open, OpenOrCreate or Append. Throws <see cref="UnsafePathException"/> for a link or a
    /// file that is not regular, <see cref="FileNotFoundException"/> when Open finds nothing, and
    /// <see cref="UnauthorizedAccessException"/> when the file may not be opened so.
    /// </summary>
    public static FileStream Open(string path, FileMode mode, FileAccess access)
    {
        if (!OperatingSystem.IsLinux()) return OpenPortably(path, mode, access);
        var flags = (access switch { FileAccess.Read => OpenReadOnly, FileAccess.Write => OpenWriteOnly, _ => OpenReadWrite })
            | (mode == FileMode.Open ? 0 : OpenCreate) | (mode == FileMode.Append ? OpenAppend : 0)
            | OpenNoFollow | OpenNonBlocking | OpenCloseOnExec;
        var fd = open(path, flags, Convert.ToInt32("666", 8));
        if (fd < 0)
        {
            var errno = Marshal.GetLastPInvokeError();
            throw errno switch
            {
                ELOOP => new UnsafePathException(path, "is a symbolic link"),
                ENXIO => new UnsafePathException(path, "is a FIFO or socket"),
                EISDIR => new UnsafePathException(path, "is a folder"),
                ENOENT => new FileNotFoundException($"No file '{path}'.", path),
                EACCES => new UnauthorizedAccessException($"No permission to open '{path}'."),
                _ => new IOException($"Cannot open '{path}': {Marshal.GetPInvokeErrorMessage(errno)}."),
            };
        }
        var handle = new SafeFileHandle(fd, ownsHandle: true);
        try
        {
            var status = new byte[256];
            if (statx(fd, "", AtEmptyPath, StatxType, status) != 0)
                throw new IOException($"Cannot inspect '{path}': {Marshal.GetPInvokeErrorMessage(Marshal.GetLastPInvokeError())}.");
            if ((BitConverter.ToUInt16(status, StatxModeOffset) & FileTypeMask) != RegularFile)
                throw new UnsafePathException(path, "is not a regular file");
            return new FileStream(handle, access, bufferSize: 0);
        }
        catch
        {
            handle.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Takes flock(2) on the file without waiting: false when another open file holds a conflicting one. A shared lock
    /// needs only read access (also over NFS), enough to probe whether somebody holds the exclusive one.
    /// </summary>
    public static bool TryLock(FileStream file, bool shared = false)
    {
        if (!OperatingSystem.IsLinux()) return true;   // OpenPortably's FileShare.None already locked it
        if (flock(file.SafeFileHandle, (shared ? LockShared : LockExclusive) | LockNonBlocking) == 0) return true;
        var errno = Marshal.GetLastPInvokeError();
        return errno == EWOULDBLOCK ? false : throw new IOException($"Cannot lock '{file.Name}': {Marshal.GetPInvokeErrorMessage(errno)}.");
    }

    /// <summary>The path with every link resolved, as realpath(3) gives it (the last link only, outside Linux).</summary>
    public static string RealPath(string path)
    {
        path = Path.GetFullPath(path);
        if (!OperatingSystem.IsLinux())
            return new FileInfo(path).ResolveLinkTarget(returnFinalTarget: true)?.FullName ?? path;
        var resolved = realpath(path, IntPtr.Zero);
        if (resolved == IntPtr.Zero)
            throw new IOException($"Cannot resolve '{path}': {Marshal.GetPInvokeErrorMessage(Marshal.GetLastPInvokeError())}.");
        try
        {
            return Marshal.PtrToStringUTF8(resolved)!;
        }
        finally
        {
            Marshal.FreeHGlobal(resolved);   // malloc'd by realpath: free(3), which FreeHGlobal is on Unix
        }
    }

    /// <summary>True when <paramref name="path"/> (following links) is a regular file, not a FIFO, socket or device.</summary>
    public static bool IsRegularFile(string path)
    {
        if (!OperatingSystem.IsLinux()) return File.Exists(path);
        var status = new byte[256];
        if (statx(AtWorkingDirectory, path, 0, StatxType, status) != 0) return false;
        return (BitConverter.ToUInt16(status, StatxModeOffset) & FileTypeMask) == RegularFile;
    }

    // Elsewhere: refuse a link seen before opening (no atomic check), and lock with .NET's FileShare.None (a plain
    // IOException when another open file holds it).
    static FileStream OpenPortably(string path, FileMode mode, FileAccess access)
    {
        var info = new FileInfo(path);
        if (info.LinkTarget != null) throw new UnsafePathException(path, "is a symbolic link");
        if (info.Attributes != (FileAttributes)(-1) && info.Attributes.HasFlag(FileAttributes.Directory)) throw new UnsafePathException(path, "is a folder");
        return new FileStream(path, mode, access, FileShare.None);
    }

    [LibraryImport("libc", EntryPoint = "open", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    private static partial int open(string path, int flags, int mode);

    [LibraryImport("libc", EntryPoint = "statx", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    private static partial int statx(int dirfd, string path, int flags, uint mask, byte[] buffer);

    [LibraryImport("libc", EntryPoint = "realpath", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    private static partial IntPtr realpath(string path, IntPtr resolved);

    [LibraryImport("libc", EntryPoint = "flock", SetLastError = true)]
    private static partial int flock(SafeFileHandle fd, int operation);
}
