using System.Net;
using System.Net.Sockets;

namespace Refilled.Engine.Tests.Data;

/// <summary>
/// An HTTP server on 127.0.0.1 serving in-memory files with Range support. A path registered with CutOffOnce
/// sends only its first half (with the full Content-Length) and drops the connection, once.
/// </summary>
internal sealed class LoopbackServer : IDisposable
{
    readonly HttpListener listener = new();
    readonly Dictionary<string, byte[]> files = new();
    readonly HashSet<string> cutOff = new();
    readonly Task loop;

    public LoopbackServer()
    {
        var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        var port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        BaseUrl = $"http://127.0.0.1:{port}/data";
        listener.Prefixes.Add(BaseUrl + "/");
        listener.Start();
        loop = Task.Run(Serve);
    }

    public string BaseUrl { get; }
    public List<string?> RangeHeaders { get; } = new();

    public void Add(string name, byte[] content, bool cutOffOnce = false)
    {
        lock (files)
        {
            files[name] = content;
            if (cutOffOnce) cutOff.Add(name);
        }
    }

    async Task Serve()
    {
        while (listener.IsListening)
        {
            HttpListenerContext context;
            try { context = await listener.GetContextAsync(); }
            catch (Exception) { return; }
            var name = context.Request.Url!.AbsolutePath.Split('/').Last();
            byte[]? content;
            bool cut;
            lock (files)
            {
                files.TryGetValue(name, out content);
                cut = cutOff.Remove(name);
                RangeHeaders.Add(context.Request.Headers["Range"]);
            }
            var response = context.Response;
            if (content == null)
            {
                response.StatusCode = 404;
                response.Close();
                continue;
            }
            long from = 0;
            if (context.Request.Headers["Range"] is { } range && range.StartsWith("bytes="))
            {
                from = long.Parse(range["bytes=".Length..].TrimEnd('-'));
                if (from >= content.Length)
                {
                    response.StatusCode = 416;
                    response.Close();
                    continue;
                }
                response.StatusCode = 206;
                response.Headers["Content-Range"] = $"bytes {from}-{content.Length - 1}/{content.Length}";
            }
            response.ContentLength64 = content.Length - from;
            try
            {
                if (cut)
                {
                    await response.OutputStream.WriteAsync(content.AsMemory((int)from, (content.Length - (int)from) / 2));
                    await response.OutputStream.FlushAsync();
                    response.Abort();
                    continue;
                }
                await response.OutputStream.WriteAsync(content.AsMemory((int)from));
                response.Close();
            }
            catch (Exception) { response.Abort(); }
        }
    }

    public void Dispose()
    {
        listener.Stop();
        listener.Close();
        try { loop.Wait(TimeSpan.FromSeconds(5)); } catch (AggregateException) { }
    }
}
