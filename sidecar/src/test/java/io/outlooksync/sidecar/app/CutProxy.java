package io.outlooksync.sidecar.app;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A TCP relay on loopback in front of a server, whose network can be cut: while cut, nothing passes either way
 * and new connections are accepted but go nowhere (a pulled cable sends no reset, so clients find out by their
 * own timeouts); when the network comes back, the connections caught in the cut are closed, as they would have
 * broken by then, and new ones pass again. TLS passes through untouched.
 */
final class CutProxy implements AutoCloseable {
  private final ServerSocket server;
  private final InetSocketAddress target;
  private final Set<Socket> open = ConcurrentHashMap.newKeySet();
  /** Connections that tried to pass something during the cut: broken for good. */
  private final Set<Socket> caught = ConcurrentHashMap.newKeySet();
  private final Object gate = new Object();
  private volatile boolean cut;
  private volatile boolean closed;

  CutProxy(int targetPort) throws IOException {
    this.target = new InetSocketAddress(InetAddress.getLoopbackAddress(), targetPort);
    this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    Thread accept = new Thread(this::accept, "cut-proxy-" + server.getLocalPort());
    accept.setDaemon(true);
    accept.start();
  }

  int port() {
    return server.getLocalPort();
  }

  /** {@code url} with its port replaced by this relay's. */
  String in(String url, int port) {
    return url.replace(":" + port, ":" + port());
  }

  void cut() {
    cut = true;
  }

  /** The network is back: what was caught in the cut is closed, new connections pass. */
  void heal() {
    synchronized (gate) {
      cut = false;
      caught.forEach(CutProxy::close);
      caught.clear();
      gate.notifyAll();
    }
  }

  private void accept() {
    while (!closed) {
      try {
        Socket client = server.accept();
        if (cut) {
          caught.add(client); // accepted, never answered
          continue;
        }
        Socket upstream = new Socket();
        upstream.connect(target, 5_000);
        open.add(client);
        open.add(upstream);
        pump(client, upstream);
        pump(upstream, client);
      } catch (IOException e) {
        if (closed) {
          return;
        }
      }
    }
  }

  private void pump(Socket from, Socket to) {
    Thread t = new Thread(() -> {
      byte[] buffer = new byte[16 * 1024];
      try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
        int n;
        while ((n = in.read(buffer)) >= 0) {
          if (cut) {
            // These bytes are lost in the cut; the connection is dead once the network is back.
            caught.add(from);
            caught.add(to);
            waitForTheNetwork();
            return;
          }
          out.write(buffer, 0, n);
          out.flush();
        }
      } catch (IOException e) {
        // the other side closed, or the cut ended this connection
      } finally {
        close(from);
        close(to);
        open.remove(from);
        open.remove(to);
      }
    }, "cut-proxy-pump");
    t.setDaemon(true);
    t.start();
  }

  private void waitForTheNetwork() {
    synchronized (gate) {
      while (cut && !closed) {
        try {
          gate.wait(1000);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return;
        }
      }
    }
  }

  private static void close(Socket s) {
    try {
      s.close();
    } catch (IOException ignored) {
      // closing anyway
    }
  }

  @Override
  public void close() {
    closed = true;
    heal();
    open.forEach(CutProxy::close);
    try {
      server.close();
    } catch (IOException ignored) {
      // closing anyway
    }
  }
}
