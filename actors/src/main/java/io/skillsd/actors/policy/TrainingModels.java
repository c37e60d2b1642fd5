package io.skillsd.actors.policy;

import io.skillsd.policies.checkpoint.HostTensor;
import io.skillsd.policies.checkpoint.SafeTensors;
import io.skillsd.policies.compute.Devices;
import io.skillsd.policies.model.CausalLm;
import io.skillsd.policies.model.LanguageModel;
import io.skillsd.policies.prompt.ChatFormat;
import java.nio.file.Path;
import java.util.Map;

/**
 * The two networks of a run: the student θ (sampled by the policy server, trained by the learner) and the
 * teacher θ̄ (same architecture, scored with skills). All three compute actors run on the single-threaded
 * {@code skillsd-compute-dispatcher}, so the networks are never used by two threads at once.
 */
public final class TrainingModels implements AutoCloseable {

  private final LanguageModel student;
  private final CausalLm teacher;
  private CausalLm initial; // θ₀, kept only when a run asks for it
  private long version;

  private TrainingModels(LanguageModel student, CausalLm teacher) {
    this.student = student;
    this.teacher = teacher;
  }

  /**
   * Loads {@code model} ({@code builtin:<size>} or a checkpoint directory) as the student and copies it
   * into a fresh teacher.
   */
  public static TrainingModels load(String model, long seed) {
    return load(model, seed, "auto");
  }

  /** As {@link #load(String, long)}, on the device {@code device} names (auto, cpu, gpu). */
  public static TrainingModels load(String model, long seed, String device) {
    LanguageModel student = model.startsWith("builtin:")
        ? LanguageModel.builtIn(model.substring("builtin:".length()), seed, Devices.choose(device))
        : LanguageModel.load(checkpointPath(model), Devices.choose(device));
    CausalLm teacher = CausalLm.random(student.model().config(), seed + 1, student.model().device());
    teacher.copyFrom(student.model());
    return new TrainingModels(student, teacher);
  }

  /**
   * The directory a model setting names: as given when it exists (or is absolute), else under the skillsd
   * installation ({@code -Dskillsd.home}, set by the launcher) when it exists there — so the shipped
   * {@code models/base-agent} is found from any working directory.
   */
  public static Path checkpointPath(String model) {
    Path p = Path.of(model);
    String home = System.getProperty("skillsd.home");
    if (!p.isAbsolute() && !java.nio.file.Files.exists(p) && home != null
        && java.nio.file.Files.isDirectory(Path.of(home).resolve(p))) {
      return Path.of(home).resolve(p);
    }
    return p;
  }

  /** The teacher's weights inside a checkpoint directory (the student's are the HF-format model files). */
  public static final String TEACHER_WEIGHTS = "teacher.safetensors";

  /** The initial weights θ₀ inside a checkpoint directory, when the run kept them. */
  public static final String INITIAL_WEIGHTS = "initial.safetensors";

  /** Loads student θ, teacher θ̄ and, when the checkpoint holds them, θ₀ from a checkpoint written by {@link #save}. */
  public static TrainingModels resume(Path checkpoint, String device) {
    LanguageModel student = LanguageModel.load(checkpoint, Devices.choose(device));
    Path teacherFile = checkpoint.resolve(TEACHER_WEIGHTS);
    if (!java.nio.file.Files.isRegularFile(teacherFile)) {
      student.close();
      throw new IllegalArgumentException("checkpoint " + checkpoint + " has no " + TEACHER_WEIGHTS);
    }
    CausalLm teacher = CausalLm.fromTensors(student.model().config(), readAll(teacherFile), student.model().device());
    TrainingModels models = new TrainingModels(student, teacher);
    Path initialFile = checkpoint.resolve(INITIAL_WEIGHTS);
    if (java.nio.file.Files.isRegularFile(initialFile)) {
      models.initial = CausalLm.fromTensors(student.model().config(), readAll(initialFile), student.model().device());
    }
    return models;
  }

  /**
   * Keeps a frozen copy of the student's current weights as θ₀ (a third model in memory, saved with every
   * checkpoint from now on); call it before the first update. Does nothing when θ₀ is already kept.
   */
  public void keepInitial() {
    if (initial == null) {
      initial = CausalLm.fromTensors(student.model().config(), student.model().toHost(), student.model().device());
    }
  }

  /** θ₀ when the run keeps it ({@link #keepInitial}, or a resumed checkpoint that holds it). */
  public java.util.Optional<CausalLm> initial() {
    return java.util.Optional.ofNullable(initial);
  }

  /** Every float tensor of a safetensors file. */
  public static Map<String, HostTensor> readAll(Path file) {
    SafeTensors st = SafeTensors.open(file);
    Map<String, HostTensor> out = new java.util.TreeMap<>();
    for (String name : st.entries().keySet()) {
      out.put(name, st.readFloat(name));
    }
    return out;
  }

  /** Writes θ (with the optimizer state), θ̄ and, when kept, θ₀ into {@code dir}. */
  public void save(Path dir, Map<String, HostTensor> optimizerState) {
    student.save(dir, optimizerState);
    SafeTensors.write(dir.resolve(TEACHER_WEIGHTS), teacher.toHost(), Map.of("role", "teacher"));
    if (initial != null) {
      SafeTensors.write(dir.resolve(INITIAL_WEIGHTS), initial.toHost(), Map.of("role", "initial"));
    }
  }

  public LanguageModel student() {
    return student;
  }

  public CausalLm studentNetwork() {
    return student.model();
  }

  public CausalLm teacher() {
    return teacher;
  }

  public ChatFormat format() {
    return student.format();
  }

  /** The weights version: 0 at start, +1 per applied update. */
  public long version() {
    return version;
  }

  public void setVersion(long version) {
    this.version = version;
  }

  @Override
  public void close() {
    if (initial != null) {
      initial.close();
    }
    teacher.close();
    student.close();
  }
}
