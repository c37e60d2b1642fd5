#!/usr/bin/env python3
"""A model of the rollout benchmark's schedules, priced with measured forward-step times.

16 episodes of 1-5 turns, answers of 5-21 tokens (whole actions of 4 tokens plus the end of turn), played
(a) one request at a time, (b) in lockstep rounds, (c) with continuous batching, where a row whose answer
stopped rejoins the running generation, its prefill a forward pass of its own, and (d) with continuous batching
whose joining rows' prefill runs inside the decode step (what the policy server runs by default now). Prints
the median ratio of (a)'s time to each batched schedule's over 200 random launches. Step times: run 4 of
docs/BENCHMARKS.md ("Actor runtime: rollout throughput"), base agent, lockstep code, medians in ms.

    python3 docs/results/batching-schedule-model.py
"""
import random
import statistics

EPISODES = 16
ONE_PREFILL, ONE_DECODE = 6.4, 2.77          # one request at a time
FULL_PREFILL_PER_ROW = 55.28 / 16            # a 16-row prefill's share per row


def decode_ms(rows):
    return 0.0 if rows == 0 else 2.79 if rows == 1 else 3.52 if rows <= 3 else 4.10 if rows <= 7 else 4.65


def prefill_ms(rows):
    if rows == 0:
        return 0.0
    return 6.4 if rows == 1 else 13.46 if rows <= 3 else 23.11 if rows <= 7 else 47.69 if rows <= 15 else 55.28


def launch(rng):
    """Per episode, the tokens of each turn's answer (its first token comes from the prefill)."""
    return [[rng.choice([5, 9, 13, 17, 21]) for _ in range(rng.choice([1, 2, 3, 3, 4, 5, 5, 5]))]
            for _ in range(EPISODES)]


def one_at_a_time(episodes):
    return sum(ONE_PREFILL + (tokens - 1) * ONE_DECODE for turns in episodes for tokens in turns)


def lockstep(episodes):
    total, turn = 0.0, 0
    while True:
        answers = [turns[turn] for turns in episodes if len(turns) > turn]
        if not answers:
            return total
        total += prefill_ms(len(answers))
        for step in range(1, max(answers)):  # until the round's longest answer
            total += decode_ms(sum(1 for a in answers if a > step))
        turn += 1


def continuous(episodes, every=1, prefill_price=None):
    """Rows rejoin at the first step (a multiple of `every`) after theirs stopped; their prefill runs together,
    priced by prefill_ms or, when given, at prefill_price per row."""
    total, step = 0.0, 0
    due = {e: 0 for e in range(len(episodes))}  # episode -> first step it may join at
    turn = {e: 0 for e in range(len(episodes))}
    left = {}  # running row -> tokens still to sample
    while due or left:
        if step % every == 0 or not left:
            joining = [e for e, at in due.items() if at <= step]
            if joining:
                total += prefill_ms(len(joining)) if prefill_price is None else prefill_price * len(joining)
                for e in joining:
                    del due[e]
                    left[e] = episodes[e][turn[e]] - 1
        for e in [e for e, n in left.items() if n <= 0]:
            del left[e]
            turn[e] += 1
            if turn[e] < len(episodes[e]):
                due[e] = step + 1
        if left:
            total += decode_ms(len(left))
            for e in left:
                left[e] -= 1
        step += 1
    return total


def fused(episodes, per_join=(55.28 - 4.63) / 16):
    """Continuous batching with each step's joining rows prefilled in the step's own forward pass: the step
    costs a decode step of its running rows plus `per_join` per joining row (a 16-row prefill's arithmetic per
    row: its time less a decode step's); a step of joining rows alone costs a prefill of them."""
    total, step = 0.0, 0
    turn = {e: 0 for e in range(len(episodes))}
    joining = set(range(len(episodes)))
    left = {}  # running row -> tokens still to sample after this step's
    while joining or left:
        if left:
            total += decode_ms(len(left)) + per_join * len(joining)
        else:
            total += prefill_ms(len(joining))
        for e in joining:
            left[e] = episodes[e][turn[e]]  # the step samples its first token
        joining = set()
        for e in list(left):
            left[e] -= 1
            if left[e] == 0:
                del left[e]
                turn[e] += 1
                if turn[e] < len(episodes[e]):
                    joining.add(e)  # at the next step
        step += 1
    return total


def main():
    rng = random.Random(1)
    launches = [launch(rng) for _ in range(200)]

    def ratio(schedule):
        return statistics.median(one_at_a_time(l) / schedule(l) for l in launches)

    print(f"{'lockstep rounds':<55} {ratio(lockstep):.2f}x")
    for every in (1, 2, 4, 8, 16):
        print(f"{f'continuous, rejoining every {every} step(s)':<55} {ratio(lambda l: continuous(l, every)):.2f}x")
    print(f"{'continuous, each rejoining prefill at a full share':<55} "
          f"{ratio(lambda l: continuous(l, 1, FULL_PREFILL_PER_ROW)):.2f}x")
    print(f"{'continuous, joining prefills inside the decode step':<55} {ratio(fused):.2f}x")


if __name__ == "__main__":
    main()
