package io.outlooksync.sidecar.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** The machine a figure was measured on: what docs/benchmarks.md records beside every number. */
record Machine(int cores, long ramMb, String cpu, String jdk, String os, String load) {

  static Machine now() {
    return new Machine(Runtime.getRuntime().availableProcessors(), readRamMb(), readCpu(),
        System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version"),
        System.getProperty("os.name") + " " + System.getProperty("os.version"), loadNow());
  }

  /** The 1, 5 and 15 minute load averages; the machine may be shared, so figures say how busy it was. */
  static String loadNow() {
    try {
      String[] parts = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
      return parts[0] + " " + parts[1] + " " + parts[2];
    } catch (IOException | RuntimeException e) {
      return "unknown";
    }
  }

  private static long readRamMb() {
    for (String line : lines("/proc/meminfo")) {
      if (line.startsWith("MemTotal:")) {
        return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024;
      }
    }
    return -1;
  }

  private static String readCpu() {
    for (String line : lines("/proc/cpuinfo")) {
      if (line.startsWith("model name")) {
        return line.substring(line.indexOf(':') + 1).trim();
      }
    }
    return System.getProperty("os.arch");
  }

  private static List<String> lines(String file) {
    try {
      return Files.readAllLines(Path.of(file));
    } catch (IOException | RuntimeException e) {
      return List.of();
    }
  }

  String describe() {
    return cores + " cores (" + cpu + "), " + ramMb + " MB RAM, " + jdk + ", " + os;
  }
}
