"""Retrieval quality on the project's own question sets, with floor values.

The floors sit a little under what the system measures today (`office-bot eval` prints the
figures), so that a change that makes retrieval worse fails here.
"""

from pathlib import Path

import pytest
from officebot.retrieval import KnowledgeBase
from officebot.retrieval.evaluate import evaluate, load_questions

HERE = Path(__file__).resolve().parent

# The yes-or-no signal and its refit (stop 22; leave one set out 0.908 -> 0.913 of the unanswerable
# questions declined at 3.0% false abstention; in sample 10 more off-topic and 4 more near-topic
# questions declined and 2 fewer answerable ones) answered one question each that two floors had
# declined ("晚上不吃饭能减肥吗" of round 10, "涉密电脑能不能接外网…" of round 59): those two floors
# were lowered by that question.
# Floors sit 0.03 under today's figures (false abstention: 0.02 over), so that a change that makes
# retrieval worse fails here. The abstention model was refitted with rounds 10 and 11 (after their
# first runs): false abstention over every set fell from 4.4% to 2.6% and abstention from 0.90 to
# 0.87, so several abstention floors were lowered by a question and false-abstention caps tightened.
# The first runs of the blind sets are in docs/retrieval.md. Asked counts in their unit ("几天": a number
# of days), exact facts not given (a frequency, a date fixed for a meeting…) then raised near-topic
# abstention on rounds 10-13; those floors are 0.03 under the new figures.
# Stop 25: a question word made only of function characters that no passage uses (进来, 要是, 点着)
# no longer counts as a rare word in the answer judgement (21 answerable questions of the 93 sets
# no longer declined); "香薰蜡烛点着睡觉安全吗" of round 17 had been declined only through 点着, and
# that floor was lowered by the question.
# Stop 27: the abstention model, refitted on the 99 sets up to round 95 with a seventh question signal
# (a situation told in the first person before the clause that asks), declines 61 more unanswerable
# questions of the 101 sets and 3 fewer, with as many answerable ones declined in all (511), but not
# the same ones: 147 each way. Five false-abstention caps went up to their new figures (rounded up to
# the next hundredth): questions_final (1 -> 4 of 68 declined), round 4a (1 -> 3 of 50), round 8
# (0 -> 1 of 85), round 10 (7 -> 10 of 135) and questions_dev_neartopic (1 -> 2 of 32).
# questions_dev_neartopic.yaml (issue 10): near-topic office-administration questions the speeches
# do not cover must be declined, scenario questions in staff's words still answered.
# Stop 33: the answer threshold went from 0.707 to 0.67 (chosen on rounds 113-118, written after the
# abstention model's fit: answerable declined 48 -> 34 of 1,416 there, near-topic declined 169 -> 167
# of 175, off-topic 84 -> 83 of 89; over all 122 sets 645 -> 538 answerable declined, 3,249 -> 3,237
# near-topic and 1,902 -> 1,886 off-topic declined). Four floors were lowered by the questions now
# answered: round 115 near-topic (办公室主任一般是正科级还是副处级, 公文里的“附件”二字是顶格还是空两格),
# round 117 off-topic (想带孩子去看星空，哪里光污染少), round 25 off-topic (学英语口语有什么好方法),
# round 98 near-topic (周末加班能不能调休，调休天数怎么计算).
FLOORS = {
    # the round-90 and round-91 blind sets, written from the speeches alone, measured once on the
    # engine of commit 4ea3e0a (docs/retrieval.md); 0.03 under their first runs
    "questions_round90.yaml": {
        "direct_hit@1": 0.95, "direct_hit@3": 0.95, "paraphrase_hit@1": 0.79, "paraphrase_hit@3": 0.89,
        "list_hit@1": 0.89, "abstention_near": 0.84, "abstention_off": 0.67, "false_abstention_max": 0.03,
    },
    "questions_round91.yaml": {
        "direct_hit@1": 0.97, "direct_hit@3": 0.97, "paraphrase_hit@1": 0.75, "paraphrase_hit@3": 0.90,
        "list_hit@1": 0.80, "abstention_near": 0.82, "abstention_off": 0.77, "false_abstention_max": 0.05,
    },
    # the round-212 blind set (stop 45), measured once on 8c5ca10 (stop 45's last engine); 0.03 under
    "questions_round212.yaml": {
        "direct_hit@1": 0.97, "direct_hit@3": 0.97, "paraphrase_hit@1": 0.77, "paraphrase_hit@3": 0.87,
        "list_hit@1": 0.95, "abstention_near": 0.90, "abstention_off": 0.97, "false_abstention_max": 0.07,
    },
    # the round-211 blind set (stop 45), measured once on 8c5ca10 (stop 45's last engine); 0.03 under
    "questions_round211.yaml": {
        "direct_hit@1": 0.97, "direct_hit@3": 0.97, "paraphrase_hit@1": 0.73, "paraphrase_hit@3": 0.85,
        "list_hit@1": 0.91, "abstention_near": 0.97, "abstention_off": 0.97, "false_abstention_max": 0.05,
    },
    # the round-210 blind set (stop 45), measured once on 0f5b062 (stop 45's final engine); 0.03 under
    "questions_round210.yaml": {
        "direct_hit@1": 0.95, "direct_hit@3": 0.97, "paraphrase_hit@1": 0.81, "paraphrase_hit@3": 0.85,
        "list_hit@1": 0.95, "abstention_near": 0.97, "abstention_off": 0.97, "false_abstention_max": 0.07,
    },
    # the round-209 blind set (stop 45), measured once on 0f5b062 (stop 45's final engine); 0.03 under
    "questions_round209.yaml": {
        "direct_hit@1": 0.97, "direct_hit@3": 0.97, "paraphrase_hit@1": 0.80, "paraphrase_hit@3": 0.89,
        "list_hit@1": 0.93, "abstention_near": 0.93, "abstention_off": 0.81, "false_abstention_max": 0.03,
    },
    # the round-208 blind set (stop 45), measured once on cc1e49c (stop 45's engine); 0.03 under
    "questions_round208.yaml": {
        "direct_hit@1": 0.97, "direct_hit@3": 0.97, "paraphrase_hit@1": 0.76, "paraphrase_hit@3": 0.89,
        "list_hit@1": 0.95, "abstention_near": 0.90, "abstention_off": 0.97, "false_abstention_max": 0.04,
    },
    # the round-207 blind set (stop 45), measured once on cc1e49c (stop 45's engine); 0.03 under
    "questions_round207.yaml": {
        "direct_hit@1": 0.97, "direct_hit@3": 0.97, "paraphrase_hit@1": 0.74, "paraphrase_hit@3": 0.84,
        "list_hit@1": 0.97, "abstention_near": 0.93, "abstention_off": 0.97, "false_abstention_max": 0.03,
    },
    # the round-206 blind set (stop 45), measured once on 53b989d (stop 45's engine); 0.03 under
    "questions_round206.yaml": {
        "direct_hit@1": 0.97, "direct_hit@3": 0.97, "paraphrase_hit@1": 0.71, "paraphrase_hit@3": 0.81,
        "list_hit@1": 0.93, "abstention_near": 0.90, "abstention_off": 0.97, "false_abstention_max": 0.06,
    },
    # the round-205 blind set (stop 45), measured once on 53b989d (stop 45's engine); 0.03 under
    "questions_round205.yaml": {
        "direct_hit@1": 0.97, "direct_hit@3": 0.97, "paraphrase_hit@1": 0.64, "paraphrase_hit@3": 0.80,
        "list_hit@1": 0.97, "abstention_near": 0.93, "abstention_off": 0.97, "false_abstention_max": 0.05,
    },
    # the round-204 blind set (stop 45), measured once on f5db2d4 (stop 44's final engine); 0.03 under
    "questions_round204.yaml": {
        "direct_hit@1": 0.97, "direct_hit@3": 0.97, "paraphrase_hit@1": 0.79, "paraphrase_hit@3": 0.86,
        "list_hit@1": 0.95, "abstention_near": 0.97, "abstention_off": 0.97, "false_abstention_max": 0.03,
    },
    # the round-203 blind set (stop 45), measured once on f5db2d4 (stop 44's final engine); 0.03 under
    "questions_round203.yaml": {
        "direct_hit@1": 0.95, "direct_hit@3": 0.97, "paraphrase_hit@1": 0.66, "paraphrase_hit@3": 0.77,
        "list_hit@1": 0.95, "abstention_near": 0.86, "abstention_off": 0.97, "false_abstention_max": 0.05,
    },
    # the round-202 blind set (stop 45), measured once on f5db2d4 (stop 44's final engine); 0.03 under
    "questions_round202.yaml": {
        "direct_hit@1": 0.97, "direct_hit@3": 0.97, "paraphrase_hit@1": 0.72, "paraphrase_hit@3": 0.82,
        "list_hit@1": 0.97, "abstention_near": 0.93, "abstention_off": 0.97, "false_abstention_max": 0.05,
    },
    # the round-201 blind set (stop 45), measured once on f5db2d4 (stop 44's final engine); 0.03 under
    "questions_round201.yaml": {
        "direct_hit@1": 0.97, "direct_hit@3": 0.97, "paraphrase_hit@1": 0.71, "paraphrase_hit@3": 0.85,
        "list_hit@1": 0.97, "abstention_near": 0.97, "abstention_off": 0.89, "false_abstention_max": 0.06,
    },
    # the round-200 blind set (stop 44), measured once on 05a9a8d (stop 44's final engine); 0.03 under
    "questions_round200.yaml": {
        "direct_hit@1": 0.97, "direct_hit@3": 0.97, "paraphrase_hit@1": 0.72, "paraphrase_hit@3": 0.82,
        "list_hit@1": 0.95, "abstention_near": 0.90, "abstention_off": 0.97, "false_abstention_max": 0.06,
    },
    # the round-199 blind set (stop 44), measured once on 05a9a8d (stop 44's final engine); 0.03 under
    "questions_round199.yaml": {
        "direct_hit@1": 0.97, "direct_hit@3": 0.97, "paraphrase_hit@1": 0.73, "paraphrase_hit@3": 0.83,
        "list_hit@1": 0.97, "abstention_near": 0.93, "abstention_off": 0.89, "false_abstention_max": 0.04,
    },
    # the round-198 blind set (stop 44), measured once on 3c505f1 (stop 44's engine); 0.03 under
    "questions_round198.yaml": {
        "direct_hit@1": 0.97, "direct_hit@3": 0.97, "paraphrase_hit@1": 0.78, "paraphrase_hit@3": 0.91,
        "list_hit@1": 0.89, "abstention_near": 0.93, "abstention_off": 0.97, "false_abstention_max": 0.03,
    },
    # the round-197 blind set (stop 44), measured once on 3c505f1 (stop 44's engine); 0.03 under
    "questions_round197.yaml": {
        "direct_hit@1": 0.97, "direct_hit@3": 0.97, "paraphrase_hit@1": 0.70, "paraphrase_hit@3": 0.80,
        "list_hit@1": 0.97, "abstention_near": 0.90, "abstention_off": 0.97, "false_abstention_max": 0.05,
    },
    # the round-196 blind set (stop 44), measured once on a86b6a3 (stop 44's synonyms); 0.03 under
    "questions_round196.yaml": {
        "direct_hit@1": 0.95, "direct_hit@3": 0.95, "paraphrase_hit@1": 0.67, "paraphrase_hit@3": 0.82,
        "list_hit@1": 0.93, "abstention_near": 0.93, "abstention_off": 0.97, "false_abstention_max": 0.08,
    },
    # the round-195 blind set (stop 44), measured once on a86b6a3 (stop 44's synonyms); 0.03 under
    "questions_round195.yaml": {
        "direct_hit@1": 0.97, "direct_hit@3": 0.97, "paraphrase_hit@1": 0.78, "paraphrase_hit@3": 0.84,
        "list_hit@1": 0.97, "abstention_near": 0.86, "abstention_off": 0.97, "false_abstention_max": 0.04,
    },
    # the round-194 blind set (stop 44), measured once on 22bd181 (stop 43's final engine); 0.03 under
    "questions_round194.yaml": {
        "direct_hit@1": 0.97, "direct_hit@3": 0.97, "paraphrase_hit@1": 0.74, "paraphrase_hit@3": 0.84,
        "list_hit@1": 0.97, "abstention_near": 0.93, "abstention_off": 0.97, "false_abstention_max": 0.06,
    },
    # the round-193 blind set (stop 44), measured once on 22bd181 (stop 43's final engine); 0.03 under
    "questions_round193.yaml": {
        "direct_hit@1": 0.97, "direct_hit@3": 0.97, "paraphrase_hit@1": 0.76, "paraphrase_hit@3": 0.85,
        "list_hit@1": 0.91, "abstention_near": 0.90, "abstention_off": 0.97, "false_abstention_max": 0.06,
    },
    # the round-192 blind set (stop 44), measured once on 22bd181 (stop 43's final engine); 0.03 under
    "questions_round192.yaml": {
        "direct_hit@1": 0.97, "direct_hit@3": 0.97, "paraphrase_hit@1": 0.80, "paraphrase_hit@3": 0.87,
        "list_hit@1": 0.95, "abstention_near": 0.86, "abstention_off": 0.97, "false_abstention_max": 0.04,
    },
    # the round-191 blind set (stop 44), measured once on 22bd181 (stop 43's final engine); 0.03 under
    "questions_round191.yaml": {
        "direct_hit@1": 0.97, "direct_hit@3": 0.97, "paraphrase_hit@1": 0.70, "paraphrase_hit@3": 0.83,
        "list_hit@1": 0.93, "abstention_near": 0.93, "abstention_off": 0.97, "false_abstention_max": 0.05,
    },
    # the round-190 blind set (stop 43), measured once on 39d2d35 (stop 43's synonyms); 0.03 under
    "questions_round190.yaml": {
        "direct_hit@1": 0.97, "direct_hit@3": 0.97, "paraphrase_hit@1": 0.73, "paraphrase_hit@3": 0.86,
        "list_hit@1": 0.95, "abstention_near": 0.93, "abstention_off": 0.97, "false_abstention_max": 0.05,
    },
    # the round-189 blind set (stop 43), measured once on 39d2d35 (stop 43's synonyms); 0.03 under
    "questions_round189.yaml": {
        "direct_hit@1": 0.97, "direct_hit@3": 0.97, "paraphrase_hit@1": 0.79, "paraphrase_hit@3": 0.87,
        "list_hit@1": 0.97, "abstention_near": 0.93, "abstention_off": 0.97, "false_abstention_max": 0.04,
    },
    # the round-188 blind set (stop 43), measured once on 5a35a89 (stop 43's synonyms); 0.03 under
    "questions_round188.yaml": {
        "direct_hit@1": 0.97, "direct_hit@3": 0.97, "paraphrase_hit@1": 0.72, "paraphrase_hit@3": 0.82,
        "list_hit@1": 0.97, "abstention_near": 0.86, "abstention_off": 0.97, "false_abstention_max": 0.06,
    },
    # the round-187 blind set (stop 43), measured once on 5a35a89 (stop 43's synonyms); 0.03 under
    "questions_round187.yaml": {
        "direct_hit@1": 0.97, "direct_hit@3": 0.97, "paraphrase_hit@1": 0.76, "paraphrase_hit@3": 0.85,
        "list_hit@1": 0.91, "abstention_near": 0.93, "abstention_off": 0.89, "false_abstention_max": 0.05,
    },
    # the round-186 blind set (stop 43), measured once on 8d21bbb (stop 43's synonyms); 0.03 under
    "questions_round186.yaml": {
        "direct_hit@1": 0.97, "direct_hit@3": 0.97, "paraphrase_hit@1": 0.73, "paraphrase_hit@3": 0.86,
        "list_hit@1": 0.95, "abstention_near": 0.93, "abstention_off": 0.89, "false_abstention_max": 0.04,
    },
    # the round-185 blind set (stop 43), measured once on 8d21bbb (stop 43's synonyms); 0.03 under
    "questions_round185.yaml": {
        "direct_hit@1": 0.97, "direct_hit@3": 0.97, "paraphrase_hit@1": 0.76, "paraphrase_hit@3": 0.85,
        "list_hit@1": 0.97, "abstention_near": 0.93, "abstention_off": 0.97, "false_abstention_max": 0.07,
    },
    # the round-184 blind set (stop 43), measured once on 80790eb (stop 43's synonyms); 0.03 under
    "questions_round184.yaml": {
        "direct_hit@1": 0.97, "direct_hit@3": 0.97, "paraphrase_hit@1": 0.76, "paraphrase_hit@3": 0.82,
        "list_hit@1": 0.87, "abstention_near": 0.93, "abstention_off": 0.97, "false_abstention_max": 0.05,
    },
    # the round-183 blind set (stop 43), measured once on 80790eb (stop 43's synonyms); 0.03 under
    "questions_round183.yaml": {
        "direct_hit@1": 0.95, "direct_hit@3": 0.97, "paraphrase_hit@1": 0.66, "paraphrase_hit@3": 0.79,
        "list_hit@1": 0.95, "abstention_near": 0.93, "abstention_off": 0.89, "false_abstention_max": 0.07,
    },
    # the round-182 blind set (stop 43), measured once on d2a602e (stop 43's synonyms); 0.03 under
    "questions_round182.yaml": {
        "direct_hit@1": 0.97, "direct_hit@3": 0.97, "paraphrase_hit@1": 0.78, "paraphrase_hit@3": 0.86,
        "list_hit@1": 0.93, "abstention_near": 0.97, "abstention_off": 0.89, "false_abstention_max": 0.03,
    },
    # the round-181 blind set (stop 43), measured once on d2a602e (stop 43's synonyms); 0.03 under
    "questions_round181.yaml": {
        "direct_hit@1": 0.97, "direct_hit@3": 0.97, "paraphrase_hit@1": 0.74, "paraphrase_hit@3": 0.83,
        "list_hit@1": 0.89, "abstention_near": 0.93, "abstention_off": 0.97, "false_abstention_max": 0.06,
    },
    # the round-180 blind set (stop 43), measured once on d222577 (998499b's engine); 0.03 under
    "questions_round180.yaml": {
        "direct_hit@1": 0.93, "direct_hit@3": 0.93, "paraphrase_hit@1": 0.66, "paraphrase_hit@3": 0.81,
        "list_hit@1": 0.97, "abstention_near": 0.86, "abstention_off": 0.97, "false_abstention_max": 0.07,
    },
    # the round-179 blind set (stop 43), measured once on d222577 (998499b's engine); 0.03 under
    "questions_round179.yaml": {
        "direct_hit@1": 0.97, "direct_hit@3": 0.97, "paraphrase_hit@1": 0.75, "paraphrase_hit@3": 0.85,
        "list_hit@1": 0.93, "abstention_near": 0.97, "abstention_off": 0.97, "false_abstention_max": 0.05,
    },
    # the round-178 blind set (stop 43), measured once on 998499b, stop 42's final engine; 0.03 under
    "questions_round178.yaml": {
        "direct_hit@1": 0.95, "direct_hit@3": 0.97, "paraphrase_hit@1": 0.61, "paraphrase_hit@3": 0.75,
        "list_hit@1": 0.93, "abstention_near": 0.93, "abstention_off": 0.89, "false_abstention_max": 0.08,
    },
    # the round-177 blind set (stop 43), measured once on 998499b, stop 42's final engine; 0.03 under
    "questions_round177.yaml": {
        "direct_hit@1": 0.97, "direct_hit@3": 0.97, "paraphrase_hit@1": 0.71, "paraphrase_hit@3": 0.83,
        "list_hit@1": 0.93, "abstention_near": 0.97, "abstention_off": 0.97, "false_abstention_max": 0.04,
    },
    # the round-176 blind set (stop 42), measured once on b07749c (730bc9b's engine); 0.03 under
    "questions_round176.yaml": {
        "direct_hit@1": 0.95, "direct_hit@3": 0.97, "paraphrase_hit@1": 0.68, "paraphrase_hit@3": 0.75,
        "list_hit@1": 0.95, "abstention_near": 0.83, "abstention_off": 0.97, "false_abstention_max": 0.07,
    },
    # the round-175 blind set (stop 42), measured once on 18530c1 (730bc9b's engine); 0.03 under
    "questions_round175.yaml": {
        "direct_hit@1": 0.97, "direct_hit@3": 0.97, "paraphrase_hit@1": 0.74, "paraphrase_hit@3": 0.83,
        "list_hit@1": 0.93, "abstention_near": 0.90, "abstention_off": 0.97, "false_abstention_max": 0.04,
    },
    # the round-174 blind set (stop 42), measured once on 730bc9b (f16a3cf's results, faster); 0.03 under
    "questions_round174.yaml": {
        "direct_hit@1": 0.95, "direct_hit@3": 0.97, "paraphrase_hit@1": 0.81, "paraphrase_hit@3": 0.88,
        "list_hit@1": 0.95, "abstention_near": 0.97, "abstention_off": 0.97, "false_abstention_max": 0.04,
    },
    # the round-173 blind set (stop 42), measured once on f16a3cf, stop 41's final engine; 0.03 under
    "questions_round173.yaml": {
        "direct_hit@1": 0.97, "direct_hit@3": 0.97, "paraphrase_hit@1": 0.74, "paraphrase_hit@3": 0.85,
        "list_hit@1": 0.93, "abstention_near": 0.90, "abstention_off": 0.97, "false_abstention_max": 0.05,
    },
    # the round-172 blind set (stop 41), measured once on 4f27daf, the stop's final engine (the
    # depth-7 re-ranking trees); 0.03 under
    "questions_round172.yaml": {
        "direct_hit@1": 0.97, "direct_hit@3": 0.97, "paraphrase_hit@1": 0.62, "paraphrase_hit@3": 0.74,
        "list_hit@1": 0.95, "abstention_near": 0.93, "abstention_off": 0.97, "false_abstention_max": 0.05,
    },
    # the round-170 and round-171 blind sets (stop 41), measured once on 5bd20ea, the stop's engine
    # (f50df09's results, faster); 0.03 under
    "questions_round170.yaml": {
        "direct_hit@1": 0.97, "direct_hit@3": 0.97, "paraphrase_hit@1": 0.74, "paraphrase_hit@3": 0.86,
        "list_hit@1": 0.93, "abstention_near": 0.93, "abstention_off": 0.88, "false_abstention_max": 0.06,
    },
    "questions_round171.yaml": {
        "direct_hit@1": 0.97, "direct_hit@3": 0.97, "paraphrase_hit@1": 0.73, "paraphrase_hit@3": 0.85,
        "list_hit@1": 0.93, "abstention_near": 0.97, "abstention_off": 0.97, "false_abstention_max": 0.05,
    },
    # the round-168 and round-169 blind sets (stop 41), measured once on f50df09, stop 40's final
    # engine; 0.03 under
    "questions_round168.yaml": {
        "direct_hit@1": 0.97, "direct_hit@3": 0.97, "paraphrase_hit@1": 0.65, "paraphrase_hit@3": 0.79,
        "list_hit@1": 0.89, "abstention_near": 0.93, "abstention_off": 0.97, "false_abstention_max": 0.05,
    },
    "questions_round169.yaml": {
        "direct_hit@1": 0.97, "direct_hit@3": 0.97, "paraphrase_hit@1": 0.71, "paraphrase_hit@3": 0.82,
        "list_hit@1": 0.89, "abstention_near": 0.90, "abstention_off": 0.97, "false_abstention_max": 0.04,
    },
    # the round-166 and round-167 blind sets (stop 40), measured once on 8b6d6b7, the stop's final
    # engine; 0.03 under
    "questions_round166.yaml": {
        "direct_hit@1": 0.95, "direct_hit@3": 0.97, "paraphrase_hit@1": 0.76, "paraphrase_hit@3": 0.85,
        "list_hit@1": 0.95, "abstention_near": 0.93, "abstention_off": 0.97, "false_abstention_max": 0.06,
    },
    "questions_round167.yaml": {
        "direct_hit@1": 0.97, "direct_hit@3": 0.97, "paraphrase_hit@1": 0.64, "paraphrase_hit@3": 0.80,
        "list_hit@1": 0.95, "abstention_near": 0.93, "abstention_off": 0.97, "false_abstention_max": 0.07,
    },
    # the round-164 and round-165 blind sets (stop 40), measured once on 4b1b964 (f568f9c's
    # outcomes, outlines read more lazily); 0.03 under
    "questions_round164.yaml": {
        "direct_hit@1": 0.97, "direct_hit@3": 0.97, "paraphrase_hit@1": 0.74, "paraphrase_hit@3": 0.84,
        "list_hit@1": 0.95, "abstention_near": 0.97, "abstention_off": 0.88, "false_abstention_max": 0.04,
    },
    "questions_round165.yaml": {
        "direct_hit@1": 0.93, "direct_hit@3": 0.95, "paraphrase_hit@1": 0.70, "paraphrase_hit@3": 0.84,
        "list_hit@1": 0.90, "abstention_near": 0.97, "abstention_off": 0.97, "false_abstention_max": 0.04,
    },
    # the round-162 and round-163 blind sets (stop 40), measured once on f568f9c, stop 39's final
    # engine; 0.03 under
    "questions_round162.yaml": {
        "direct_hit@1": 0.97, "direct_hit@3": 0.97, "paraphrase_hit@1": 0.71, "paraphrase_hit@3": 0.84,
        "list_hit@1": 0.93, "abstention_near": 0.86, "abstention_off": 0.97, "false_abstention_max": 0.05,
    },
    "questions_round163.yaml": {
        "direct_hit@1": 0.97, "direct_hit@3": 0.97, "paraphrase_hit@1": 0.70, "paraphrase_hit@3": 0.87,
        "list_hit@1": 0.93, "abstention_near": 0.97, "abstention_off": 0.97, "false_abstention_max": 0.04,
    },
    # the round-160 and round-161 blind sets (stop 39), measured once on a7fc850, the stop's final
    # engine; 0.03 under
    "questions_round160.yaml": {
        "direct_hit@1": 0.95, "direct_hit@3": 0.97, "paraphrase_hit@1": 0.68, "paraphrase_hit@3": 0.81,
        "list_hit@1": 0.93, "abstention_near": 0.97, "abstention_off": 0.97, "false_abstention_max": 0.05,
    },
    "questions_round161.yaml": {
        "direct_hit@1": 0.97, "direct_hit@3": 0.97, "paraphrase_hit@1": 0.69, "paraphrase_hit@3": 0.81,
        "list_hit@1": 0.97, "abstention_near": 0.97, "abstention_off": 0.97, "false_abstention_max": 0.06,
    },
    # the round-158 and round-159 blind sets (stop 39), measured once on 16da79d (a speech's parts,
    # times as evidence, small talk in); 0.03 under
    "questions_round158.yaml": {
        "direct_hit@1": 0.95, "direct_hit@3": 0.97, "paraphrase_hit@1": 0.66, "paraphrase_hit@3": 0.81,
        "list_hit@1": 0.91, "abstention_near": 0.97, "abstention_off": 0.97, "false_abstention_max": 0.07,
    },
    "questions_round159.yaml": {
        "direct_hit@1": 0.95, "direct_hit@3": 0.97, "paraphrase_hit@1": 0.70, "paraphrase_hit@3": 0.85,
        "list_hit@1": 0.95, "abstention_near": 0.90, "abstention_off": 0.89, "false_abstention_max": 0.03,
    },
    # the round-156 and round-157 blind sets (stop 39), measured once on 8b7c762, stop 38's final
    # engine; 0.03 under
    "questions_round156.yaml": {
        "direct_hit@1": 0.95, "direct_hit@3": 0.97, "paraphrase_hit@1": 0.72, "paraphrase_hit@3": 0.85,
        "list_hit@1": 0.93, "abstention_near": 0.89, "abstention_off": 0.89, "false_abstention_max": 0.05,
    },
    "questions_round157.yaml": {
        "direct_hit@1": 0.97, "direct_hit@3": 0.97, "paraphrase_hit@1": 0.71, "paraphrase_hit@3": 0.82,
        "list_hit@1": 0.95, "abstention_near": 0.97, "abstention_off": 0.97, "false_abstention_max": 0.07,
    },
    # the round-154 and round-155 blind sets (stop 38), measured once on 3c6a907 too; 0.03 under
    "questions_round154.yaml": {
        "direct_hit@1": 0.95, "direct_hit@3": 0.97, "paraphrase_hit@1": 0.66, "paraphrase_hit@3": 0.80,
        "list_hit@1": 0.93, "abstention_near": 0.97, "abstention_off": 0.97, "false_abstention_max": 0.07,
    },
    "questions_round155.yaml": {
        "direct_hit@1": 0.95, "direct_hit@3": 0.97, "paraphrase_hit@1": 0.74, "paraphrase_hit@3": 0.86,
        "list_hit@1": 0.95, "abstention_near": 0.93, "abstention_off": 0.97, "false_abstention_max": 0.05,
    },
    # the round-152 and round-153 blind sets (stop 38), measured once on 3c6a907, stop 37's final
    # engine; 0.03 under
    "questions_round152.yaml": {
        "direct_hit@1": 0.97, "direct_hit@3": 0.97, "paraphrase_hit@1": 0.67, "paraphrase_hit@3": 0.83,
        "list_hit@1": 0.97, "abstention_near": 0.97, "abstention_off": 0.89, "false_abstention_max": 0.05,
    },
    "questions_round153.yaml": {
        "direct_hit@1": 0.93, "direct_hit@3": 0.97, "paraphrase_hit@1": 0.69, "paraphrase_hit@3": 0.82,
        "list_hit@1": 0.89, "abstention_near": 0.97, "abstention_off": 0.89, "false_abstention_max": 0.04,
    },
    # the round-151 blind set (stop 37), measured once on cbd422d, the trees re-ranking; 0.03 under
    "questions_round151.yaml": {
        "direct_hit@1": 0.95, "direct_hit@3": 0.97, "paraphrase_hit@1": 0.61, "paraphrase_hit@3": 0.77,
        "list_hit@1": 0.92, "abstention_near": 0.93, "abstention_off": 0.89, "false_abstention_max": 0.05,
    },
    # the round-150 blind set (stop 37), measured once on 55084b3, the products re-ranking; 0.03 under
    "questions_round150.yaml": {
        "direct_hit@1": 0.97, "direct_hit@3": 0.97, "paraphrase_hit@1": 0.70, "paraphrase_hit@3": 0.85,
        "list_hit@1": 0.90, "abstention_near": 0.90, "abstention_off": 0.97, "false_abstention_max": 0.05,
    },
    # the round-149 blind set (stop 37), measured once on 325486a, stop 36's final engine; 0.03 under
    "questions_round149.yaml": {
        "direct_hit@1": 0.94, "direct_hit@3": 0.97, "paraphrase_hit@1": 0.77, "paraphrase_hit@3": 0.88,
        "list_hit@1": 0.93, "abstention_near": 0.90, "abstention_off": 0.89, "false_abstention_max": 0.04,
    },
    # the round-148 blind set (stop 36), measured once on 601eb28, the stop's final engine; 0.03 under
    "questions_round148.yaml": {
        "direct_hit@1": 0.97, "direct_hit@3": 0.97, "paraphrase_hit@1": 0.64, "paraphrase_hit@3": 0.79,
        "list_hit@1": 0.86, "abstention_near": 0.97, "abstention_off": 0.97, "false_abstention_max": 0.04,
    },
    # the round-147 blind set (stop 36), measured once on 7781654 (stop 36's two fixes in); 0.03 under
    "questions_round147.yaml": {
        "direct_hit@1": 0.97, "direct_hit@3": 0.97, "paraphrase_hit@1": 0.66, "paraphrase_hit@3": 0.79,
        "list_hit@1": 0.89, "abstention_near": 0.97, "abstention_off": 0.97, "false_abstention_max": 0.06,
    },
    # the round-145 and round-146 blind sets (stop 36), measured once on 45656d2, stop 35's final
    # engine; 0.03 under
    "questions_round145.yaml": {
        "direct_hit@1": 0.97, "direct_hit@3": 0.97, "paraphrase_hit@1": 0.59, "paraphrase_hit@3": 0.81,
        "list_hit@1": 0.97, "abstention_near": 0.97, "abstention_off": 0.97, "false_abstention_max": 0.06,
    },
    "questions_round146.yaml": {
        "direct_hit@1": 0.95, "direct_hit@3": 0.95, "paraphrase_hit@1": 0.61, "paraphrase_hit@3": 0.78,
        "list_hit@1": 0.87, "abstention_near": 0.97, "abstention_off": 0.81, "false_abstention_max": 0.06,
    },
    # the round-143 and round-144 blind sets (stop 35), measured once on f65d3fe, the stop's final
    # engine; 0.03 under
    "questions_round143.yaml": {
        "direct_hit@1": 0.93, "direct_hit@3": 0.97, "paraphrase_hit@1": 0.63, "paraphrase_hit@3": 0.79,
        "list_hit@1": 0.93, "abstention_near": 0.90, "abstention_off": 0.89, "false_abstention_max": 0.04,
    },
    "questions_round144.yaml": {
        "direct_hit@1": 0.95, "direct_hit@3": 0.97, "paraphrase_hit@1": 0.61, "paraphrase_hit@3": 0.82,
        "list_hit@1": 0.91, "abstention_near": 0.97, "abstention_off": 0.97, "false_abstention_max": 0.06,
    },
    # the round-141 and round-142 blind sets (stop 35), measured once on 0cde87d; 0.03 under
    "questions_round141.yaml": {
        "direct_hit@1": 0.95, "direct_hit@3": 0.97, "paraphrase_hit@1": 0.66, "paraphrase_hit@3": 0.84,
        "list_hit@1": 0.89, "abstention_near": 0.86, "abstention_off": 0.97, "false_abstention_max": 0.08,
    },
    "questions_round142.yaml": {
        "direct_hit@1": 0.95, "direct_hit@3": 0.97, "paraphrase_hit@1": 0.65, "paraphrase_hit@3": 0.79,
        "list_hit@1": 0.90, "abstention_near": 0.93, "abstention_off": 0.97, "false_abstention_max": 0.05,
    },
    # the round-139 blind set (stop 35), measured once on 1c7d0b9 (+ a time of every year), and
    # round 140 on 0c11cdf; 0.03 under
    "questions_round139.yaml": {
        "direct_hit@1": 0.95, "direct_hit@3": 0.97, "paraphrase_hit@1": 0.65, "paraphrase_hit@3": 0.79,
        "list_hit@1": 0.89, "abstention_near": 0.97, "abstention_off": 0.97, "false_abstention_max": 0.07,
    },
    "questions_round140.yaml": {
        "direct_hit@1": 0.95, "direct_hit@3": 0.97, "paraphrase_hit@1": 0.74, "paraphrase_hit@3": 0.90,
        "list_hit@1": 0.89, "abstention_near": 0.97, "abstention_off": 0.97, "false_abstention_max": 0.05,
    },
    # the round-137 blind set (stop 35), measured once on 06a6429 (+ where to go) and round 138 on
    # 1c67c68 (+ pronouns); 0.03 under
    "questions_round137.yaml": {
        "direct_hit@1": 0.97, "direct_hit@3": 0.97, "paraphrase_hit@1": 0.62, "paraphrase_hit@3": 0.81,
        "list_hit@1": 0.91, "abstention_near": 0.97, "abstention_off": 0.97, "false_abstention_max": 0.06,
    },
    "questions_round138.yaml": {
        "direct_hit@1": 0.95, "direct_hit@3": 0.97, "paraphrase_hit@1": 0.60, "paraphrase_hit@3": 0.79,
        "list_hit@1": 0.87, "abstention_near": 0.86, "abstention_off": 0.88, "false_abstention_max": 0.05,
    },
    # the round-135 and round-136 blind sets (stop 35), measured once on cc52cf8, stop 34's final
    # engine; 0.03 under
    "questions_round135.yaml": {
        "direct_hit@1": 0.93, "direct_hit@3": 0.95, "paraphrase_hit@1": 0.69, "paraphrase_hit@3": 0.82,
        "list_hit@1": 0.91, "abstention_near": 0.97, "abstention_off": 0.97, "false_abstention_max": 0.04,
    },
    "questions_round136.yaml": {
        "direct_hit@1": 0.97, "direct_hit@3": 0.97, "paraphrase_hit@1": 0.73, "paraphrase_hit@3": 0.86,
        "list_hit@1": 0.87, "abstention_near": 0.93, "abstention_off": 0.88, "false_abstention_max": 0.06,
    },
    # the round-133 and round-134 blind sets (stop 34), measured once on 2696ebe, the stop's final
    # engine; 0.03 under
    "questions_round133.yaml": {
        "direct_hit@1": 0.97, "direct_hit@3": 0.97, "paraphrase_hit@1": 0.68, "paraphrase_hit@3": 0.83,
        "list_hit@1": 0.93, "abstention_near": 0.97, "abstention_off": 0.97, "false_abstention_max": 0.03,
    },
    "questions_round134.yaml": {
        "direct_hit@1": 0.95, "direct_hit@3": 0.97, "paraphrase_hit@1": 0.63, "paraphrase_hit@3": 0.78,
        "list_hit@1": 0.93, "abstention_near": 0.93, "abstention_off": 0.97, "false_abstention_max": 0.08,
    },
    # the round-131 and round-132 blind sets (stop 34), measured once on 2fd2ff4; 0.03 under
    "questions_round131.yaml": {
        "direct_hit@1": 0.95, "direct_hit@3": 0.97, "paraphrase_hit@1": 0.60, "paraphrase_hit@3": 0.79,
        "list_hit@1": 0.94, "abstention_near": 0.93, "abstention_off": 0.97, "false_abstention_max": 0.04,
    },
    "questions_round132.yaml": {
        "direct_hit@1": 0.95, "direct_hit@3": 0.95, "paraphrase_hit@1": 0.72, "paraphrase_hit@3": 0.83,
        "list_hit@1": 0.93, "abstention_near": 0.93, "abstention_off": 0.97, "false_abstention_max": 0.07,
    },
    # the round-129 and round-130 blind sets (stop 34), measured once on 4c34e95, the stop's
    # engine; 0.03 under
    "questions_round129.yaml": {
        "direct_hit@1": 0.95, "direct_hit@3": 0.97, "paraphrase_hit@1": 0.77, "paraphrase_hit@3": 0.89,
        "list_hit@1": 0.90, "abstention_near": 0.97, "abstention_off": 0.97, "false_abstention_max": 0.05,
    },
    "questions_round130.yaml": {
        "direct_hit@1": 0.97, "direct_hit@3": 0.97, "paraphrase_hit@1": 0.63, "paraphrase_hit@3": 0.79,
        "list_hit@1": 0.93, "abstention_near": 0.93, "abstention_off": 0.97, "false_abstention_max": 0.06,
    },
    # the round-127 and round-128 blind sets (stop 34), measured once on 4896d7f, stop 33's final
    # engine; 0.03 under
    "questions_round127.yaml": {
        "direct_hit@1": 0.97, "direct_hit@3": 0.97, "paraphrase_hit@1": 0.64, "paraphrase_hit@3": 0.78,
        "list_hit@1": 0.91, "abstention_near": 0.97, "abstention_off": 0.91, "false_abstention_max": 0.05,
    },
    "questions_round128.yaml": {
        "direct_hit@1": 0.97, "direct_hit@3": 0.97, "paraphrase_hit@1": 0.64, "paraphrase_hit@3": 0.78,
        "list_hit@1": 0.87, "abstention_near": 0.97, "abstention_off": 0.89, "false_abstention_max": 0.05,
    },
    # the round-125 and round-126 blind sets (stop 33), measured once on ee4c3bb, the stop's final
    # engine; 0.03 under
    "questions_round125.yaml": {
        "direct_hit@1": 0.97, "direct_hit@3": 0.97, "paraphrase_hit@1": 0.64, "paraphrase_hit@3": 0.80,
        "list_hit@1": 0.90, "abstention_near": 0.83, "abstention_off": 0.97, "false_abstention_max": 0.04,
    },
    "questions_round126.yaml": {
        "direct_hit@1": 0.95, "direct_hit@3": 0.97, "paraphrase_hit@1": 0.69, "paraphrase_hit@3": 0.81,
        "list_hit@1": 0.89, "abstention_near": 0.97, "abstention_off": 0.97, "false_abstention_max": 0.04,
    },
    # the round-123 and round-124 blind sets (stop 33), measured once on dba4ea8 (the stop's engine
    # but for the colloquial stopwords); 0.03 under
    "questions_round123.yaml": {
        "direct_hit@1": 0.97, "direct_hit@3": 0.97, "paraphrase_hit@1": 0.65, "paraphrase_hit@3": 0.79,
        "list_hit@1": 0.93, "abstention_near": 0.97, "abstention_off": 0.83, "false_abstention_max": 0.06,
    },
    "questions_round124.yaml": {
        "direct_hit@1": 0.97, "direct_hit@3": 0.97, "paraphrase_hit@1": 0.72, "paraphrase_hit@3": 0.84,
        "list_hit@1": 0.93, "abstention_near": 0.93, "abstention_off": 0.97, "false_abstention_max": 0.04,
    },
    # the round-121 and round-122 blind sets (stop 33), measured once on 0c57b39; 0.03 under
    "questions_round121.yaml": {
        "direct_hit@1": 0.95, "direct_hit@3": 0.95, "paraphrase_hit@1": 0.58, "paraphrase_hit@3": 0.78,
        "list_hit@1": 0.92, "abstention_near": 0.97, "abstention_off": 0.97, "false_abstention_max": 0.05,
    },
    "questions_round122.yaml": {
        "direct_hit@1": 0.97, "direct_hit@3": 0.97, "paraphrase_hit@1": 0.65, "paraphrase_hit@3": 0.81,
        "list_hit@1": 0.85, "abstention_near": 0.83, "abstention_off": 0.90, "false_abstention_max": 0.05,
    },
    # the round-119 and round-120 blind sets (stop 33), measured once on 45564d8 (this stop's re-ranking
    # of parts, answer threshold and skipping rule); 0.03 under
    "questions_round119.yaml": {
        "direct_hit@1": 0.95, "direct_hit@3": 0.95, "paraphrase_hit@1": 0.72, "paraphrase_hit@3": 0.82,
        "list_hit@1": 0.93, "abstention_near": 0.93, "abstention_off": 0.89, "false_abstention_max": 0.04,
    },
    "questions_round120.yaml": {
        "direct_hit@1": 0.95, "direct_hit@3": 0.97, "paraphrase_hit@1": 0.59, "paraphrase_hit@3": 0.75,
        "list_hit@1": 0.94, "abstention_near": 0.89, "abstention_off": 0.97, "false_abstention_max": 0.05,
    },
    # the round-117 and round-118 blind sets (stop 33), measured once on 9d8f446, stop 32's final
    # engine; 0.03 under
    "questions_round117.yaml": {
        "direct_hit@1": 0.97, "direct_hit@3": 0.97, "paraphrase_hit@1": 0.64, "paraphrase_hit@3": 0.81,
        "list_hit@1": 0.91, "abstention_near": 0.89, "abstention_off": 0.85, "false_abstention_max": 0.07,
    },
    "questions_round118.yaml": {
        "direct_hit@1": 0.97, "direct_hit@3": 0.97, "paraphrase_hit@1": 0.66, "paraphrase_hit@3": 0.81,
        "list_hit@1": 0.93, "abstention_near": 0.93, "abstention_off": 0.97, "false_abstention_max": 0.07,
    },
    # the round-116 blind set (stop 32), measured once on c4bd54e, the stop's final engine; 0.03 under
    "questions_round116.yaml": {
        "direct_hit@1": 0.97, "direct_hit@3": 0.97, "paraphrase_hit@1": 0.64, "paraphrase_hit@3": 0.81,
        "list_hit@1": 0.93, "abstention_near": 0.93, "abstention_off": 0.97, "false_abstention_max": 0.06,
    },
    # the round-115 blind set (stop 32), measured once on 80aafd7, after the stop's last list changes; 0.03 under
    "questions_round115.yaml": {
        "direct_hit@1": 0.92, "direct_hit@3": 0.97, "paraphrase_hit@1": 0.66, "paraphrase_hit@3": 0.85,
        "list_hit@1": 0.93, "abstention_near": 0.89, "abstention_off": 0.90, "false_abstention_max": 0.06,
    },
    # the round-114 blind set (stop 32), measured once on f359853, the stop's final engine (the same
    # figures on 24b1565); 0.03 under
    "questions_round114.yaml": {
        "direct_hit@1": 0.97, "direct_hit@3": 0.97, "paraphrase_hit@1": 0.63, "paraphrase_hit@3": 0.82,
        "list_hit@1": 0.91, "abstention_near": 0.97, "abstention_off": 0.89, "false_abstention_max": 0.04,
    },
    # the round-113 blind set (stop 32), measured once on ee24cc4; 0.03 under
    "questions_round113.yaml": {
        "direct_hit@1": 0.97, "direct_hit@3": 0.97, "paraphrase_hit@1": 0.73, "paraphrase_hit@3": 0.89,
        "list_hit@1": 0.94, "abstention_near": 0.93, "abstention_off": 0.75, "false_abstention_max": 0.04,
    },
    # the round-112 blind set (stop 32), measured once on 8a6f9ec (the same figures on 24b1565); 0.03 under
    "questions_round112.yaml": {
        "direct_hit@1": 0.97, "direct_hit@3": 0.97, "paraphrase_hit@1": 0.61, "paraphrase_hit@3": 0.83,
        "list_hit@1": 0.90, "abstention_near": 0.86, "abstention_off": 0.97, "false_abstention_max": 0.05,
    },
    # the round-111 blind set (stop 32), measured once on 24b1565, stop 31's final engine; 0.03 under
    "questions_round111.yaml": {
        "direct_hit@1": 0.95, "direct_hit@3": 0.97, "paraphrase_hit@1": 0.75, "paraphrase_hit@3": 0.86,
        "list_hit@1": 0.93, "abstention_near": 0.93, "abstention_off": 0.97, "false_abstention_max": 0.04,
    },
    # the round-110 blind set (stop 31), measured once on 558b018, the stop's final engine; 0.03 under
    "questions_round110.yaml": {
        "direct_hit@1": 0.95, "direct_hit@3": 0.95, "paraphrase_hit@1": 0.58, "paraphrase_hit@3": 0.72,
        "list_hit@1": 0.92, "abstention_near": 0.97, "abstention_off": 0.75, "false_abstention_max": 0.05,
    },
    # the round-109 blind set (stop 31), measured once on 586b0e6 (docs/retrieval.md); 0.03 under
    "questions_round109.yaml": {
        "direct_hit@1": 0.97, "direct_hit@3": 0.97, "paraphrase_hit@1": 0.72, "paraphrase_hit@3": 0.81,
        "list_hit@1": 0.90, "abstention_near": 0.90, "abstention_off": 0.97, "false_abstention_max": 0.05,
    },
    # the round-108 blind set (stop 31), measured once on 36c62ac (docs/retrieval.md); 0.03 under
    "questions_round108.yaml": {
        "direct_hit@1": 0.95, "direct_hit@3": 0.97, "paraphrase_hit@1": 0.68, "paraphrase_hit@3": 0.82,
        "list_hit@1": 0.91, "abstention_near": 0.97, "abstention_off": 0.97, "false_abstention_max": 0.04,
    },
    # the round-106 and round-107 blind sets (stop 30), measured once on 020b303 (docs/retrieval.md); 0.03 under
    "questions_round106.yaml": {
        "direct_hit@1": 0.95, "direct_hit@3": 0.95, "paraphrase_hit@1": 0.71, "paraphrase_hit@3": 0.82,
        "list_hit@1": 0.93, "abstention_near": 0.97, "abstention_off": 0.78, "false_abstention_max": 0.07,
    },
    "questions_round107.yaml": {
        "direct_hit@1": 0.97, "direct_hit@3": 0.97, "paraphrase_hit@1": 0.58, "paraphrase_hit@3": 0.70,
        "list_hit@1": 0.90, "abstention_near": 0.97, "abstention_off": 0.90, "false_abstention_max": 0.08,
    },
    # the round-104 and round-105 blind sets (stop 29), measured once on 838986b (docs/retrieval.md); 0.03 under
    "questions_round104.yaml": {
        "direct_hit@1": 0.97, "direct_hit@3": 0.97, "paraphrase_hit@1": 0.58, "paraphrase_hit@3": 0.75,
        "list_hit@1": 0.89, "abstention_near": 0.83, "abstention_off": 0.89, "false_abstention_max": 0.03,
    },
    "questions_round105.yaml": {
        "direct_hit@1": 0.97, "direct_hit@3": 0.97, "paraphrase_hit@1": 0.63, "paraphrase_hit@3": 0.80,
        "list_hit@1": 0.89, "abstention_near": 0.86, "abstention_off": 0.97, "false_abstention_max": 0.08,
    },
    # the round-102 and round-103 blind sets (stop 29), measured once on e3fb64a (docs/retrieval.md); 0.03 under
    "questions_round102.yaml": {
        "direct_hit@1": 0.97, "direct_hit@3": 0.97, "paraphrase_hit@1": 0.68, "paraphrase_hit@3": 0.80,
        "list_hit@1": 0.86, "abstention_near": 0.97, "abstention_off": 0.78, "false_abstention_max": 0.05,
    },
    "questions_round103.yaml": {
        "direct_hit@1": 0.97, "direct_hit@3": 0.97, "paraphrase_hit@1": 0.63, "paraphrase_hit@3": 0.74,
        "list_hit@1": 0.85, "abstention_near": 0.90, "abstention_off": 0.91, "false_abstention_max": 0.05,
    },
    # the round-100 and round-101 blind sets (stop 29), measured once on d08e878 (docs/retrieval.md); 0.03 under
    "questions_round100.yaml": {
        "direct_hit@1": 0.97, "direct_hit@3": 0.97, "paraphrase_hit@1": 0.66, "paraphrase_hit@3": 0.80,
        # 0.91 -> 0.88 (stop 32): the refit with the things signal answers "用手机怎么拍出清楚的星空照片"
        "list_hit@1": 0.90, "abstention_near": 0.97, "abstention_off": 0.88, "false_abstention_max": 0.05,
    },
    "questions_round101.yaml": {
        "direct_hit@1": 0.95, "direct_hit@3": 0.97, "paraphrase_hit@1": 0.67, "paraphrase_hit@3": 0.81,
        "list_hit@1": 0.87, "abstention_near": 0.93, "abstention_off": 0.90, "false_abstention_max": 0.04,
    },
    # the round-98 and round-99 blind sets (stop 28), measured once on b1ce0ba (docs/retrieval.md); 0.03 under
    "questions_round98.yaml": {
        "direct_hit@1": 0.97, "direct_hit@3": 0.97, "paraphrase_hit@1": 0.66, "paraphrase_hit@3": 0.86,
        "list_hit@1": 0.90, "abstention_near": 0.96, "abstention_off": 0.83, "false_abstention_max": 0.04,
    },
    "questions_round99.yaml": {
        "direct_hit@1": 0.97, "direct_hit@3": 0.97, "paraphrase_hit@1": 0.62, "paraphrase_hit@3": 0.79,
        "list_hit@1": 0.89, "abstention_near": 0.93, "abstention_off": 0.97, "false_abstention_max": 0.04,
    },
    # the round-96 and round-97 blind sets (stop 27), measured once on e8342c2 (docs/retrieval.md); 0.03 under
    "questions_round96.yaml": {
        "direct_hit@1": 0.95, "direct_hit@3": 0.97, "paraphrase_hit@1": 0.59, "paraphrase_hit@3": 0.72,
        "list_hit@1": 0.87, "abstention_near": 0.93, "abstention_off": 0.90, "false_abstention_max": 0.06,
    },
    "questions_round97.yaml": {
        "direct_hit@1": 0.97, "direct_hit@3": 0.97, "paraphrase_hit@1": 0.63, "paraphrase_hit@3": 0.79,
        "list_hit@1": 0.84, "abstention_near": 0.93, "abstention_off": 0.97, "false_abstention_max": 0.06,
    },
    # the round-94 and round-95 blind sets (stop 26), measured once on 50e7d13 (docs/retrieval.md); 0.03 under
    "questions_round94.yaml": {
        "direct_hit@1": 0.92, "direct_hit@3": 0.94, "paraphrase_hit@1": 0.66, "paraphrase_hit@3": 0.79,
        "list_hit@1": 0.86, "abstention_near": 0.90, "abstention_off": 0.91, "false_abstention_max": 0.06,
    },
    "questions_round95.yaml": {
        "direct_hit@1": 0.95, "direct_hit@3": 0.95, "paraphrase_hit@1": 0.64, "paraphrase_hit@3": 0.78,
        "list_hit@1": 0.86, "abstention_near": 0.93, "abstention_off": 0.97, "false_abstention_max": 0.07,
    },
    # the round-92 and round-93 blind sets (stop 26), measured once on 4decb6e (docs/retrieval.md); 0.03 under
    "questions_round92.yaml": {
        "direct_hit@1": 0.97, "direct_hit@3": 0.97, "paraphrase_hit@1": 0.60, "paraphrase_hit@3": 0.78,
        "list_hit@1": 0.85, "abstention_near": 0.87, "abstention_off": 0.97, "false_abstention_max": 0.06,
    },
    "questions_round93.yaml": {
        "direct_hit@1": 0.94, "direct_hit@3": 0.95, "paraphrase_hit@1": 0.66, "paraphrase_hit@3": 0.77,
        "list_hit@1": 0.90, "abstention_near": 0.83, "abstention_off": 0.97, "false_abstention_max": 0.05,
    },
    # the round-88 and round-89 blind sets, written from the speeches alone, measured once on the
    # engine of commit 7ca4684 (docs/retrieval.md); 0.03 under their first runs
    "questions_round88.yaml": {
        "direct_hit@1": 0.95, "direct_hit@3": 0.95, "paraphrase_hit@1": 0.66, "paraphrase_hit@3": 0.81,
        "list_hit@1": 0.89, "abstention_near": 0.89, "abstention_off": 0.90, "false_abstention_max": 0.03,
    },
    "questions_round89.yaml": {
        "direct_hit@1": 0.97, "direct_hit@3": 0.97, "paraphrase_hit@1": 0.72, "paraphrase_hit@3": 0.85,
        "list_hit@1": 0.85, "abstention_near": 0.93, "abstention_off": 0.84, "false_abstention_max": 0.03,
    },
    # the round-86 and round-87 blind sets, written from the speeches alone, measured once on the
    # engine of commit 80b3a26 (docs/retrieval.md); 0.03 under their first runs
    "questions_round86.yaml": {
        "direct_hit@1": 0.97, "direct_hit@3": 0.97, "paraphrase_hit@1": 0.60, "paraphrase_hit@3": 0.75,
        "list_hit@1": 0.81, "abstention_near": 0.72, "abstention_off": 0.89, "false_abstention_max": 0.04,
    },
    "questions_round87.yaml": {
        "direct_hit@1": 0.97, "direct_hit@3": 0.97, "paraphrase_hit@1": 0.55, "paraphrase_hit@3": 0.71,
        "list_hit@1": 0.77, "abstention_near": 0.90, "abstention_off": 0.84, "false_abstention_max": 0.08,
    },
    # the round-84 and round-85 blind sets, written from the speeches alone, measured once on the
    # engine of commit f819e88 (docs/retrieval.md); 0.03 under their first runs
    "questions_round84.yaml": {
        "direct_hit@1": 0.97, "direct_hit@3": 0.97, "paraphrase_hit@1": 0.58, "paraphrase_hit@3": 0.79,
        "list_hit@1": 0.80, "abstention_near": 0.86, "abstention_off": 0.82, "false_abstention_max": 0.09,
    },
    "questions_round85.yaml": {
        "direct_hit@1": 0.97, "direct_hit@3": 0.97, "paraphrase_hit@1": 0.74, "paraphrase_hit@3": 0.84,
        "list_hit@1": 0.90, "abstention_near": 0.82, "abstention_off": 0.90, "false_abstention_max": 0.04,
    },
    # the round-82 and round-83 blind sets, written from the speeches alone, measured once on the
    # engine of commit a09be34 (docs/retrieval.md); 0.03 under their first runs
    "questions_round82.yaml": {
        "direct_hit@1": 0.97, "direct_hit@3": 0.97, "paraphrase_hit@1": 0.62, "paraphrase_hit@3": 0.75,
        "list_hit@1": 0.85, "abstention_near": 0.83, "abstention_off": 0.90, "false_abstention_max": 0.05,
    },
    "questions_round83.yaml": {
        "direct_hit@1": 0.93, "direct_hit@3": 0.95, "paraphrase_hit@1": 0.52, "paraphrase_hit@3": 0.71,
        "list_hit@1": 0.85, "abstention_near": 0.97, "abstention_off": 0.89, "false_abstention_max": 0.07,
    },
    # the round-80 and round-81 blind sets, written from the speeches alone, measured once on the
    # engine of commit 5d341ca (docs/retrieval.md); 0.03 under their first runs
    "questions_round80.yaml": {
        "direct_hit@1": 0.97, "direct_hit@3": 0.97, "paraphrase_hit@1": 0.70, "paraphrase_hit@3": 0.83,
        "list_hit@1": 0.84, "abstention_near": 0.87, "abstention_off": 0.90, "false_abstention_max": 0.06,
    },
    "questions_round81.yaml": {
        "direct_hit@1": 0.97, "direct_hit@3": 0.97, "paraphrase_hit@1": 0.67, "paraphrase_hit@3": 0.83,
        "list_hit@1": 0.81, "abstention_near": 0.86, "abstention_off": 0.83, "false_abstention_max": 0.04,
    },
    # the round-78 and round-79 blind sets, written from the speeches alone, measured once on the
    # engine of commit 98053b6 (docs/retrieval.md); 0.03 under their first runs
    "questions_round78.yaml": {
        "direct_hit@1": 0.97, "direct_hit@3": 0.97, "paraphrase_hit@1": 0.66, "paraphrase_hit@3": 0.81,
        "list_hit@1": 0.86, "abstention_near": 0.93, "abstention_off": 0.80, "false_abstention_max": 0.05,
    },
    "questions_round79.yaml": {
        "direct_hit@1": 0.97, "direct_hit@3": 0.97, "paraphrase_hit@1": 0.64, "paraphrase_hit@3": 0.82,
        "list_hit@1": 0.91, "abstention_near": 0.90, "abstention_off": 0.84, "false_abstention_max": 0.07,
    },
    # the round-76 and round-77 blind sets, written from the speeches alone, measured once on the
    # engine of commit 0eca4f0 (docs/retrieval.md); 0.03 under their first runs
    "questions_round76.yaml": {
        "direct_hit@1": 0.97, "direct_hit@3": 0.97, "paraphrase_hit@1": 0.59, "paraphrase_hit@3": 0.78,
        "list_hit@1": 0.83, "abstention_near": 0.90, "abstention_off": 0.83, "false_abstention_max": 0.06,
    },
    "questions_round77.yaml": {
        "direct_hit@1": 0.95, "direct_hit@3": 0.95, "paraphrase_hit@1": 0.67, "paraphrase_hit@3": 0.83,
        "list_hit@1": 0.86, "abstention_near": 0.83, "abstention_off": 0.97, "false_abstention_max": 0.04,
    },
    # the round-74 and round-75 blind sets, written from the speeches alone, measured once on the
    # engine of commit ecb7f8f (docs/retrieval.md); 0.03 under their first runs
    "questions_round74.yaml": {
        "direct_hit@1": 0.97, "direct_hit@3": 0.97, "paraphrase_hit@1": 0.64, "paraphrase_hit@3": 0.77,
        "list_hit@1": 0.77, "abstention_near": 0.90, "abstention_off": 0.78, "false_abstention_max": 0.07,
    },
    "questions_round75.yaml": {
        "direct_hit@1": 0.97, "direct_hit@3": 0.97, "paraphrase_hit@1": 0.64, "paraphrase_hit@3": 0.76,
        "list_hit@1": 0.85, "abstention_near": 0.84, "abstention_off": 0.90, "false_abstention_max": 0.07,
    },
    # the round-72 and round-73 blind sets, written from the speeches alone, measured once on the
    # engine of commit b8547d5 (docs/retrieval.md); 0.03 under their first runs
    "questions_round72.yaml": {
        "direct_hit@1": 0.94, "direct_hit@3": 0.95, "paraphrase_hit@1": 0.68, "paraphrase_hit@3": 0.86,
        "list_hit@1": 0.84, "abstention_near": 0.90, "abstention_off": 0.91, "false_abstention_max": 0.06,
    },
    "questions_round73.yaml": {
        "direct_hit@1": 0.97, "direct_hit@3": 0.97, "paraphrase_hit@1": 0.67, "paraphrase_hit@3": 0.83,
        "list_hit@1": 0.83, "abstention_near": 0.86, "abstention_off": 0.90, "false_abstention_max": 0.04,
    },
    # the round-70 and round-71 blind sets, written from the speeches alone, measured once on the
    # engine of commit 6be1c69 (docs/retrieval.md); 0.03 under their first runs
    "questions_round70.yaml": {
        "direct_hit@1": 0.95, "direct_hit@3": 0.97, "paraphrase_hit@1": 0.60, "paraphrase_hit@3": 0.75,
        "list_hit@1": 0.79, "abstention_near": 0.93, "abstention_off": 0.78, "false_abstention_max": 0.06,
    },
    "questions_round71.yaml": {
        "direct_hit@1": 0.93, "direct_hit@3": 0.97, "paraphrase_hit@1": 0.64, "paraphrase_hit@3": 0.85,
        "list_hit@1": 0.80, "abstention_near": 0.81, "abstention_off": 0.84, "false_abstention_max": 0.04,
    },
    # the round-68 and round-69 blind sets, written from the speeches alone, measured once on the
    # engine of commit 9c48ad2 (docs/retrieval.md); 0.03 under their first runs
    "questions_round68.yaml": {
        "direct_hit@1": 0.97, "direct_hit@3": 0.97, "paraphrase_hit@1": 0.64, "paraphrase_hit@3": 0.82,
        "list_hit@1": 0.78, "abstention_near": 0.97, "abstention_off": 0.70, "false_abstention_max": 0.05,
    },
    "questions_round69.yaml": {
        "direct_hit@1": 0.97, "direct_hit@3": 0.97, "paraphrase_hit@1": 0.59, "paraphrase_hit@3": 0.76,
        "list_hit@1": 0.80, "abstention_near": 0.93, "abstention_off": 0.89, "false_abstention_max": 0.06,
    },
    # the round-66 and round-67 blind sets, written from the speeches alone, measured once on the
    # engine of commit c0bfbe9 (docs/retrieval.md); 0.03 under their first runs
    "questions_round66.yaml": {
        "direct_hit@1": 0.97, "direct_hit@3": 0.97, "paraphrase_hit@1": 0.49, "paraphrase_hit@3": 0.69,
        "list_hit@1": 0.90, "abstention_near": 0.90, "abstention_off": 0.90, "false_abstention_max": 0.06,
    },
    "questions_round67.yaml": {
        "direct_hit@1": 0.95, "direct_hit@3": 0.95, "paraphrase_hit@1": 0.68, "paraphrase_hit@3": 0.83,
        "list_hit@1": 0.87, "abstention_near": 0.87, "abstention_off": 0.79, "false_abstention_max": 0.05,
    },
    # the round-64 and round-65 blind sets, written from the speeches alone, measured once on the
    # engine of commit 6babb1a (docs/retrieval.md); 0.03 under their first runs
    "questions_round64.yaml": {
        "direct_hit@1": 0.97, "direct_hit@3": 0.97, "paraphrase_hit@1": 0.58, "paraphrase_hit@3": 0.75,
        "list_hit@1": 0.85, "abstention_near": 0.93, "abstention_off": 0.97, "false_abstention_max": 0.05,
    },
    "questions_round65.yaml": {
        "direct_hit@1": 0.95, "direct_hit@3": 0.95, "paraphrase_hit@1": 0.63, "paraphrase_hit@3": 0.78,
        "list_hit@1": 0.81, "abstention_near": 0.86, "abstention_off": 0.84, "false_abstention_max": 0.06,
    },
    # the round-62 and round-63 blind sets, written from the speeches alone, measured once on the
    # engine of commit 3ee06ad (docs/retrieval.md); 0.03 under their first runs
    "questions_round62.yaml": {
        "direct_hit@1": 0.93, "direct_hit@3": 0.95, "paraphrase_hit@1": 0.61, "paraphrase_hit@3": 0.78,
        "list_hit@1": 0.82, "abstention_near": 0.77, "abstention_off": 0.91, "false_abstention_max": 0.06,
    },
    "questions_round63.yaml": {
        "direct_hit@1": 0.94, "direct_hit@3": 0.95, "paraphrase_hit@1": 0.54, "paraphrase_hit@3": 0.73,
        "list_hit@1": 0.88, "abstention_near": 0.90, "abstention_off": 0.80, "false_abstention_max": 0.08,
    },
    # the round-60 and round-61 blind sets, written from the speeches alone, measured once on the
    # engine of commit 9dbe7ee (docs/retrieval.md); 0.03 under their first runs
    "questions_round60.yaml": {
        "direct_hit@1": 0.95, "direct_hit@3": 0.95, "paraphrase_hit@1": 0.60, "paraphrase_hit@3": 0.77,
        "list_hit@1": 0.86, "abstention_near": 0.90, "abstention_off": 0.97, "false_abstention_max": 0.05,
    },
    "questions_round61.yaml": {
        "direct_hit@1": 0.95, "direct_hit@3": 0.95, "paraphrase_hit@1": 0.63, "paraphrase_hit@3": 0.79,
        "list_hit@1": 0.79, "abstention_near": 0.87, "abstention_off": 0.89, "false_abstention_max": 0.06,
    },
    # the round-58 and round-59 blind sets, written from the speeches alone, measured once on the
    # engine of commit 2d36049 (docs/retrieval.md); 0.03 under their first runs
    "questions_round58.yaml": {
        "direct_hit@1": 0.86, "direct_hit@3": 0.90, "paraphrase_hit@1": 0.64, "paraphrase_hit@3": 0.81,
        "list_hit@1": 0.84, "abstention_near": 0.89, "abstention_off": 0.85, "false_abstention_max": 0.03,
    },
    "questions_round59.yaml": {
        "direct_hit@1": 0.87, "direct_hit@3": 0.93, "paraphrase_hit@1": 0.68, "paraphrase_hit@3": 0.81,
        "list_hit@1": 0.81, "abstention_near": 0.89, "abstention_off": 0.75, "false_abstention_max": 0.08,
    },
    # the round-56 and round-57 blind sets, written from the speeches alone, measured once on the
    # engine of commit 78f401b (docs/retrieval.md); 0.03 under their first runs
    "questions_round56.yaml": {
        "direct_hit@1": 0.97, "direct_hit@3": 0.97, "paraphrase_hit@1": 0.52, "paraphrase_hit@3": 0.70,
        "list_hit@1": 0.83, "abstention_near": 0.90, "abstention_off": 0.65, "false_abstention_max": 0.11,
    },
    "questions_round57.yaml": {
        "direct_hit@1": 0.97, "direct_hit@3": 0.97, "paraphrase_hit@1": 0.64, "paraphrase_hit@3": 0.82,
        "list_hit@1": 0.80, "abstention_near": 0.90, "abstention_off": 0.84, "false_abstention_max": 0.06,
    },
    # the round-54 and round-55 blind sets, written from the speeches alone, measured once on the
    # engine of commit c7328fa (docs/retrieval.md); 0.03 under their first runs
    "questions_round54.yaml": {
        "direct_hit@1": 0.95, "direct_hit@3": 0.95, "paraphrase_hit@1": 0.58, "paraphrase_hit@3": 0.75,
        "list_hit@1": 0.85, "abstention_near": 0.80, "abstention_off": 0.78, "false_abstention_max": 0.08,
    },
    "questions_round55.yaml": {
        "direct_hit@1": 0.95, "direct_hit@3": 0.95, "paraphrase_hit@1": 0.56, "paraphrase_hit@3": 0.73,
        "list_hit@1": 0.82, "abstention_near": 0.90, "abstention_off": 0.77, "false_abstention_max": 0.07,
    },
    # the round-52 and round-53 blind sets, written from the speeches alone, measured once on the
    # engine of commit 16646cc (docs/retrieval.md); 0.03 under their first runs
    "questions_round52.yaml": {
        "direct_hit@1": 0.93, "direct_hit@3": 0.95, "paraphrase_hit@1": 0.66, "paraphrase_hit@3": 0.82,
        "list_hit@1": 0.83, "abstention_near": 0.80, "abstention_off": 0.85, "false_abstention_max": 0.08,
    },
    "questions_round53.yaml": {
        "direct_hit@1": 0.97, "direct_hit@3": 0.97, "paraphrase_hit@1": 0.63, "paraphrase_hit@3": 0.79,
        "list_hit@1": 0.82, "abstention_near": 0.84, "abstention_off": 0.73, "false_abstention_max": 0.07,
    },
    # the round-50 and round-51 blind sets, written from the speeches alone, measured once on the
    # engine of commit 08be0d5 (docs/retrieval.md); 0.03 under their first runs
    "questions_round50.yaml": {
        "direct_hit@1": 0.93, "direct_hit@3": 0.97, "paraphrase_hit@1": 0.75, "paraphrase_hit@3": 0.87,
        "list_hit@1": 0.89, "abstention_near": 0.87, "abstention_off": 0.85, "false_abstention_max": 0.04,
    },
    "questions_round51.yaml": {
        "direct_hit@1": 0.95, "direct_hit@3": 0.97, "paraphrase_hit@1": 0.65, "paraphrase_hit@3": 0.81,
        "list_hit@1": 0.83, "abstention_near": 0.87, "abstention_off": 0.74, "false_abstention_max": 0.06,
    },
    # the round-48 and round-49 blind sets, written from the speeches alone, measured once on the
    # engine of commit 7811638 (docs/retrieval.md); 0.03 under their first runs
    "questions_round48.yaml": {
        "direct_hit@1": 0.95, "direct_hit@3": 0.97, "paraphrase_hit@1": 0.74, "paraphrase_hit@3": 0.87,
        "list_hit@1": 0.8, "abstention_near": 0.83, "abstention_off": 0.65, "false_abstention_max": 0.05,
    },
    "questions_round49.yaml": {
        "direct_hit@1": 0.93, "direct_hit@3": 0.95, "paraphrase_hit@1": 0.69, "paraphrase_hit@3": 0.79,
        "list_hit@1": 0.77, "abstention_near": 0.8, "abstention_off": 0.85, "false_abstention_max": 0.07,
    },
    # the round-46 and round-47 blind sets, written from the speeches alone, measured once on the
    # engine of commit e1e7191 (docs/retrieval.md); 0.03 under their first runs
    "questions_round46.yaml": {
        "direct_hit@1": 0.97, "direct_hit@3": 0.97, "paraphrase_hit@1": 0.75, "paraphrase_hit@3": 0.83,
        "list_hit@1": 0.85, "abstention_near": 0.83, "abstention_off": 0.9, "false_abstention_max": 0.07,
    },
    "questions_round47.yaml": {
        "direct_hit@1": 0.95, "direct_hit@3": 0.97, "paraphrase_hit@1": 0.7, "paraphrase_hit@3": 0.84,
        "list_hit@1": 0.86, "abstention_near": 0.9, "abstention_off": 0.69, "false_abstention_max": 0.06,
    },
    # the round-45 and round-44 blind sets, written from the speeches alone, measured once on the
    # engine of commit d3aae5b (the ranking of baaf579; docs/retrieval.md); 0.03 under their first runs
    "questions_round45.yaml": {
        "direct_hit@1": 0.97, "direct_hit@3": 0.97, "paraphrase_hit@1": 0.72, "paraphrase_hit@3": 0.84,
        "list_hit@1": 0.87, "abstention_near": 0.80, "abstention_off": 0.68, "false_abstention_max": 0.05,
    },
    "questions_round44.yaml": {
        "direct_hit@1": 0.97, "direct_hit@3": 0.97, "paraphrase_hit@1": 0.76, "paraphrase_hit@3": 0.88,
        "list_hit@1": 0.79, "abstention_near": 0.90, "abstention_off": 0.82, "false_abstention_max": 0.05,
    },
    # the round-43 and round-42 blind sets, written from the speeches alone, measured once on the
    # engine of commit baaf579 (docs/retrieval.md); 0.03 under their first runs
    "questions_round43.yaml": {
        "direct_hit@1": 0.97, "direct_hit@3": 0.97, "paraphrase_hit@1": 0.70, "paraphrase_hit@3": 0.83,
        "list_hit@1": 0.86, "abstention_near": 0.81, "abstention_off": 0.75, "false_abstention_max": 0.06,
    },
    "questions_round42.yaml": {
        "direct_hit@1": 0.95, "direct_hit@3": 0.95, "paraphrase_hit@1": 0.71, "paraphrase_hit@3": 0.83,
        "list_hit@1": 0.83, "abstention_near": 0.87, "abstention_off": 0.84, "false_abstention_max": 0.07,
    },
    # the round-41 blind set, written from the speeches alone, measured once on the engine of commit
    # baaf579 (docs/retrieval.md); 0.03 under that first run
    "questions_round41.yaml": {
        "direct_hit@1": 0.97, "direct_hit@3": 0.97, "paraphrase_hit@1": 0.67, "paraphrase_hit@3": 0.82,
        "list_hit@1": 0.84, "abstention_near": 0.77, "abstention_off": 0.90, "false_abstention_max": 0.09,
    },
    # the round-40 blind set, written from the speeches alone, measured once on the engine of commit
    # baaf579 (docs/retrieval.md); 0.03 under that first run
    "questions_round40.yaml": {
        "direct_hit@1": 0.97, "direct_hit@3": 0.97, "paraphrase_hit@1": 0.75, "paraphrase_hit@3": 0.86,
        "list_hit@1": 0.86, "abstention_near": 0.77, "abstention_off": 0.84, "false_abstention_max": 0.06,
    },
    # the round-39 blind set, written from the speeches alone, measured once on the engine of commit
    # c2df000 (docs/retrieval.md); 0.03 under that first run
    "questions_round39.yaml": {
        "direct_hit@1": 0.95, "direct_hit@3": 0.97, "paraphrase_hit@1": 0.76, "paraphrase_hit@3": 0.85,
        "list_hit@1": 0.89, "abstention_near": 0.86, "abstention_off": 0.90, "false_abstention_max": 0.06,
    },
    # the round-38 blind set, written from the speeches alone, measured once on the engine of commit
    # 0c57624 (docs/retrieval.md); 0.03 under that first run
    "questions_round38.yaml": {
        "direct_hit@1": 0.89, "direct_hit@3": 0.90, "paraphrase_hit@1": 0.69, "paraphrase_hit@3": 0.79,
        "list_hit@1": 0.81, "abstention_near": 0.90, "abstention_off": 0.97, "false_abstention_max": 0.05,
    },
    # the round-37 blind set, written from the speeches alone, measured once on the engine of commit
    # ff6e68e (docs/retrieval.md); 0.03 under that first run
    "questions_round37.yaml": {
        "direct_hit@1": 0.95, "direct_hit@3": 0.95, "paraphrase_hit@1": 0.65, "paraphrase_hit@3": 0.84,
        "list_hit@1": 0.80, "abstention_near": 0.86, "abstention_off": 0.90, "false_abstention_max": 0.06,
    },
    # the round-36 blind set, written from the speeches alone, measured once on the engine of commit
    # 8840c0f (docs/retrieval.md); 0.03 under that first run
    "questions_round36.yaml": {
        "direct_hit@1": 0.91, "direct_hit@3": 0.95, "paraphrase_hit@1": 0.73, "paraphrase_hit@3": 0.82,
        "list_hit@1": 0.89, "abstention_near": 0.84, "abstention_off": 0.82, "false_abstention_max": 0.04,
    },
    # the round-35 blind set, written from the speeches alone, measured once on the engine of commit
    # 250fc1c (docs/retrieval.md); 0.03 under that first run
    "questions_round35.yaml": {
        "direct_hit@1": 0.89, "direct_hit@3": 0.93, "paraphrase_hit@1": 0.63, "paraphrase_hit@3": 0.83,
        "list_hit@1": 0.87, "abstention_near": 0.87, "abstention_off": 0.78, "false_abstention_max": 0.07,
    },
    # the round-34 blind set, written from the speeches alone, measured once on the engine of commit
    # 250fc1c (docs/retrieval.md); 0.03 under that first run
    "questions_round34.yaml": {
        "direct_hit@1": 0.93, "direct_hit@3": 0.93, "paraphrase_hit@1": 0.72, "paraphrase_hit@3": 0.89,
        "list_hit@1": 0.81, "abstention_near": 0.80, "abstention_off": 0.59, "false_abstention_max": 0.05,
    },
    # the round-33 blind set, written from the speeches alone, measured once on the engine of commit
    # 00328e6 (docs/retrieval.md); 0.03 under that first run
    "questions_round33.yaml": {
        "direct_hit@1": 0.87, "direct_hit@3": 0.89, "paraphrase_hit@1": 0.80, "paraphrase_hit@3": 0.88,
        "list_hit@1": 0.76, "abstention_near": 0.87, "abstention_off": 0.78, "false_abstention_max": 0.05,
    },
    # the round-32 blind set, written from the speeches alone, measured once on the engine of commit
    # 00328e6 (docs/retrieval.md); 0.03 under that first run
    "questions_round32.yaml": {
        "direct_hit@1": 0.88, "direct_hit@3": 0.91, "paraphrase_hit@1": 0.61, "paraphrase_hit@3": 0.78,
        "list_hit@1": 0.81, "abstention_near": 0.89, "abstention_off": 0.77, "false_abstention_max": 0.08,
    },
    # the round-31 blind set, written from the speeches alone, measured once on the engine of commit
    # 9aa636f (docs/retrieval.md); 0.03 under that first run
    "questions_round31.yaml": {
        "direct_hit@1": 0.88, "direct_hit@3": 0.92, "paraphrase_hit@1": 0.65, "paraphrase_hit@3": 0.80,
        "list_hit@1": 0.77, "abstention_near": 0.73, "abstention_off": 0.97, "false_abstention_max": 0.08,
    },
    # the round-30 blind set, written from the speeches alone, measured once on the engine of commit
    # 01ff6d4 (docs/retrieval.md); 0.03 under that first run
    "questions_round30.yaml": {
        "direct_hit@1": 0.91, "direct_hit@3": 0.93, "paraphrase_hit@1": 0.65, "paraphrase_hit@3": 0.81,
        "list_hit@1": 0.70, "abstention_near": 0.87, "abstention_off": 0.84, "false_abstention_max": 0.06,
    },
    # the round-29 blind set, written from the speeches alone, measured once on the engine of commit
    # 439f52f (docs/retrieval.md); 0.03 under that first run
    "questions_round29.yaml": {
        "direct_hit@1": 0.89, "direct_hit@3": 0.95, "paraphrase_hit@1": 0.56, "paraphrase_hit@3": 0.69,
        "list_hit@1": 0.77, "abstention_near": 0.78, "abstention_off": 0.93, "false_abstention_max": 0.09,
    },
    # the round-28 blind set, written from the speeches alone, measured once on the engine of commit
    # 2a2c121 (docs/retrieval.md); 0.03 under that first run
    "questions_round28.yaml": {
        "direct_hit@1": 0.93, "direct_hit@3": 0.93, "paraphrase_hit@1": 0.63, "paraphrase_hit@3": 0.80,
        "list_hit@1": 0.74, "abstention_near": 0.90, "abstention_off": 0.89, "false_abstention_max": 0.06,
    },
    # the round-27 blind set, written from the speeches alone, measured once on the engine of commit
    # 2a2c121 (docs/retrieval.md); 0.03 under that first run
    "questions_round27.yaml": {
        "direct_hit@1": 0.91, "direct_hit@3": 0.93, "paraphrase_hit@1": 0.70, "paraphrase_hit@3": 0.83,
        "list_hit@1": 0.80, "abstention_near": 0.80, "abstention_off": 0.90, "false_abstention_max": 0.09,
    },
    # the round-26 blind set, written from the speeches alone, measured once on the engine of commit
    # 1dd0c6f (docs/retrieval.md); 0.03 under that first run
    "questions_round26.yaml": {
        "direct_hit@1": 0.95, "direct_hit@3": 0.97, "paraphrase_hit@1": 0.66, "paraphrase_hit@3": 0.81,
        "list_hit@1": 0.72, "abstention_near": 0.88, "abstention_off": 0.93, "false_abstention_max": 0.05,
    },
    # the round-25 blind set, written from the speeches alone, measured once on the engine of commit
    # a03e019 (docs/retrieval.md); 0.03 under that first run
    "questions_round25.yaml": {
        "direct_hit@1": 0.92, "direct_hit@3": 0.97, "paraphrase_hit@1": 0.68, "paraphrase_hit@3": 0.84,
        "list_hit@1": 0.73, "abstention_near": 0.91, "abstention_off": 0.92, "false_abstention_max": 0.04,
    },
    # the round-24 blind set, written from the speeches alone, measured once on the engine of commit
    # 712fa68 (docs/retrieval.md) and then on 7f04964 (a third batch of colloquial synonyms, tuned on rounds up
    # to 23 only); 0.03 under the second, which is the first run or one question better
    "questions_round24.yaml": {
        "direct_hit@1": 0.94, "direct_hit@3": 0.97, "paraphrase_hit@1": 0.61, "paraphrase_hit@3": 0.74,
        "list_hit@1": 0.72, "abstention_near": 0.91, "abstention_off": 0.97, "false_abstention_max": 0.07,
    },
    # the round-23 blind set, written from the speeches alone, measured once on the engine of commit
    # 8454b0d (docs/retrieval.md); 0.03 under that first run
    "questions_round23.yaml": {
        "direct_hit@1": 0.92, "direct_hit@3": 0.92, "paraphrase_hit@1": 0.57, "paraphrase_hit@3": 0.81,
        "list_hit@1": 0.84, "abstention_near": 0.89, "abstention_off": 0.78, "false_abstention_max": 0.08,
    },
    # the round-22 blind set, written from the speeches alone, measured once on the engine of commit
    # 1cdbfb5 (docs/retrieval.md; its answers are those of 67f9833); 0.03 under that first run
    "questions_round22.yaml": {
        "direct_hit@1": 0.97, "direct_hit@3": 0.97, "paraphrase_hit@1": 0.62, "paraphrase_hit@3": 0.79,
        "list_hit@1": 0.76, "abstention_near": 0.89, "abstention_off": 0.9, "false_abstention_max": 0.05,
    },
    # the round-21 blind set, written from the speeches alone, measured once on the engine of commit
    # 67f9833 (docs/retrieval.md); 0.03 under that first run
    "questions_round21.yaml": {
        "direct_hit@1": 0.9, "direct_hit@3": 0.94, "paraphrase_hit@1": 0.59, "paraphrase_hit@3": 0.71,
        "list_hit@1": 0.77, "abstention_near": 0.75, "abstention_off": 0.93, "false_abstention_max": 0.08,
    },
    # the round-20 blind set (colloquial chat wording), written from the speeches alone, measured once
    # on the engine of commit a94e00c (docs/retrieval.md); 0.03 under that first run
    "questions_round20.yaml": {
        "direct_hit@1": 0.93, "direct_hit@3": 0.97, "paraphrase_hit@1": 0.42, "paraphrase_hit@3": 0.62,
        # false abstention 0.12 -> 0.13 (stop 32): the refit with the things signal declines "跟同事想法老不
        # 一样，经常顶牛，咋相处" and "干了好多遍的活，闭着眼睛都能做，还用那么仔细吗"
        "list_hit@1": 0.83, "abstention_near": 0.8, "abstention_off": 0.92, "false_abstention_max": 0.13,
    },
    # the round-19 blind set, written from the speeches alone, measured once on the engine of commit
    # a94e00c (docs/retrieval.md); 0.03 under that first run
    "questions_round19.yaml": {
        "direct_hit@1": 0.95, "direct_hit@3": 0.97, "paraphrase_hit@1": 0.52, "paraphrase_hit@3": 0.74,
        "list_hit@1": 0.81, "abstention_near": 0.84, "abstention_off": 0.78, "false_abstention_max": 0.04,
    },
    # the round-18 blind set, written from the speeches alone, measured once on the engine of commit
    # 1c0de1e (docs/retrieval.md); 0.03 under that first run, nothing tuned on it
    "questions_round18.yaml": {
        "direct_hit@1": 0.89, "direct_hit@3": 0.93, "paraphrase_hit@1": 0.67, "paraphrase_hit@3": 0.85,
        "list_hit@1": 0.82, "abstention_near": 0.83, "abstention_off": 0.73, "false_abstention_max": 0.03,
    },
    # the round-17 blind set, written from the speeches alone, measured once on the engine of commit
    # 3b5b30a (docs/retrieval.md); 0.03 under that first run, nothing tuned on it
    "questions_round17.yaml": {
        "direct_hit@1": 0.95, "direct_hit@3": 0.97, "paraphrase_hit@1": 0.73, "paraphrase_hit@3": 0.82,
        "list_hit@1": 0.86, "abstention_near": 0.88, "abstention_off": 0.84, "false_abstention_max": 0.04,
    },
    # the round-16 blind set, written from the speeches alone, measured once on the engine of commit
    # b8036ec (docs/retrieval.md); 0.03 under that first run, nothing tuned on it
    "questions_round16.yaml": {
        "direct_hit@1": 0.95, "direct_hit@3": 0.97, "paraphrase_hit@1": 0.59, "paraphrase_hit@3": 0.72,
        "list_hit@1": 0.82, "abstention_near": 0.85, "abstention_off": 0.86, "false_abstention_max": 0.06,
    },
    # the round-15 blind set, written from the speeches alone, measured once on the engine of commit
    # cba64da (docs/retrieval.md); 0.03 under that first run, nothing tuned on it
    "questions_round15.yaml": {
        "direct_hit@1": 0.93, "direct_hit@3": 0.95, "paraphrase_hit@1": 0.5, "paraphrase_hit@3": 0.77,
        "list_hit@1": 0.68, "abstention_near": 0.82, "abstention_off": 0.88, "false_abstention_max": 0.09,
    },
    # the round-14 blind set, written from the speeches alone, measured once on the engine of commit
    # 75e709d (docs/retrieval.md); 0.03 under that first run
    "questions_round14.yaml": {
        "direct_hit@1": 0.95, "direct_hit@3": 0.97, "paraphrase_hit@1": 0.62, "paraphrase_hit@3": 0.87,
        "list_hit@1": 0.82, "abstention_near": 0.85, "abstention_off": 0.60, "false_abstention_max": 0.03,
    },
    # held out: the round-13 blind set, written from the speeches alone after round 12 had been looked
    # at, measured once on the engine of commit ccc8faa (docs/retrieval.md); 0.03 under that first run
    "questions_round13.yaml": {
        "direct_hit@1": 0.91, "direct_hit@3": 0.93, "paraphrase_hit@1": 0.49, "paraphrase_hit@3": 0.65,
        "list_hit@1": 0.72, "abstention_near": 0.88, "abstention_off": 0.88, "false_abstention_max": 0.05,
    },
    # held out: the round-12 blind set, written from the speeches alone this session, measured once on
    # the engine of commit a19ebdd (docs/retrieval.md); 0.03 under that first run, nothing tuned on it
    "questions_round12.yaml": {
        "direct_hit@1": 0.89, "direct_hit@3": 0.93, "paraphrase_hit@1": 0.62, "paraphrase_hit@3": 0.87,
        "list_hit@1": 0.82, "abstention_near": 0.88, "abstention_off": 0.97, "false_abstention_max": 0.06,
    },
    # the round-11 blind set, written for issue 10's honest estimate after round 10 had been measured
    # twice: 0.03 under its one first run, on the engine of commit 9e5c12f (fitted on since)
    "questions_round11.yaml": {
        "direct_hit@1": 0.95, "direct_hit@3": 0.97, "paraphrase_hit@1": 0.55, "paraphrase_hit@3": 0.77,
        "list_hit@1": 0.75, "abstention_near": 0.88, "abstention": 0.9, "false_abstention_max": 0.05,
    },
    # issue 10's first blind set: 0.03 under the figures measured on the final engine (fitted on since)
    "questions_round10.yaml": {
        "direct_hit@1": 0.92, "direct_hit@3": 0.94, "paraphrase_hit@1": 0.59, "paraphrase_hit@3": 0.75,
        "list_hit@1": 0.85, "abstention_near": 0.73, "abstention_off": 0.94, "false_abstention_max": 0.08,
    },
    "questions_round9.yaml": {
        "direct_hit@1": 0.97, "direct_hit@3": 0.97, "paraphrase_hit@1": 0.81, "paraphrase_hit@3": 0.87,
        "abstention": 0.77, "false_abstention_max": 0.03,
    },
    "questions.yaml": {
        "direct_hit@1": 0.93, "direct_hit@3": 0.97, "paraphrase_hit@1": 0.8, "paraphrase_hit@3": 0.92,
        "abstention": 0.97, "false_abstention_max": 0.02,
    },
    "questions_validation.yaml": {
        "direct_hit@1": 0.97, "direct_hit@3": 0.97, "paraphrase_hit@1": 0.82, "paraphrase_hit@3": 0.89,
        "abstention": 0.97, "false_abstention_max": 0.01,
    },
    "questions_test.yaml": {
        "direct_hit@1": 0.97, "direct_hit@3": 0.97, "paraphrase_hit@1": 0.89, "paraphrase_hit@3": 0.97,
        "abstention": 0.83, "false_abstention_max": 0.03,
    },
    "questions_blind.yaml": {
        "direct_hit@1": 0.97, "direct_hit@3": 0.97, "paraphrase_hit@1": 0.93, "paraphrase_hit@3": 0.97,
        "abstention": 0.8, "false_abstention_max": 0.01,
    },
    "questions_final.yaml": {
        "direct_hit@1": 0.93, "direct_hit@3": 0.97, "paraphrase_hit@1": 0.62, "paraphrase_hit@3": 0.87,
        "abstention": 0.83, "false_abstention_max": 0.06,
    },
    "questions_round4a.yaml": {
        "direct_hit@1": 0.97, "direct_hit@3": 0.97, "paraphrase_hit@1": 0.79, "paraphrase_hit@3": 0.94,
        "abstention": 0.87, "false_abstention_max": 0.06,
    },
    "questions_round4b.yaml": {
        # 0.97 -> 0.93: with the re-ranking, one of its 15 direct questions ("相互包容要做到哪“三容”")
        # is second; over all the sets, direct hit@1 went 0.978 -> 0.985
        "direct_hit@1": 0.93, "direct_hit@3": 0.97, "paraphrase_hit@1": 0.82, "paraphrase_hit@3": 0.91,
        # false abstention 0.01 -> 0.02 (stop 32): the refit with the things signal declines "辖区内发生重大
        # 突发情况后，首次口头呈报应在多长时限内完成、报送至哪个部门"
        "abstention": 0.80, "false_abstention_max": 0.02,
    },
    "questions_round5.yaml": {
        "direct_hit@1": 0.94, "direct_hit@3": 0.94, "paraphrase_hit@1": 0.75, "paraphrase_hit@3": 0.81,
        "abstention": 0.83, "false_abstention_max": 0.04,
    },
    "questions_round6.yaml": {
        "direct_hit@1": 0.94, "direct_hit@3": 0.97, "paraphrase_hit@1": 0.85, "paraphrase_hit@3": 0.93,
        "abstention": 0.83, "false_abstention_max": 0.01,
    },
    "questions_round7.yaml": {
        "direct_hit@1": 0.94, "direct_hit@3": 0.97, "paraphrase_hit@1": 0.81, "paraphrase_hit@3": 0.95,
        "abstention": 0.83, "false_abstention_max": 0.01,
    },
    "questions_round8.yaml": {
        "direct_hit@1": 0.97, "direct_hit@3": 0.97, "paraphrase_hit@1": 0.77, "paraphrase_hit@3": 0.91,
        "abstention": 0.77, "false_abstention_max": 0.02,
    },
    "questions_dev_neartopic.yaml": {
        "paraphrase_hit@1": 0.68, "paraphrase_hit@3": 0.75, "abstention": 0.87, "false_abstention_max": 0.07,
    },
}


@pytest.fixture(scope="module")
def kb():
    return KnowledgeBase.load()


@pytest.mark.parametrize("name", sorted(FLOORS))
def test_question_set_meets_its_floors(kb, name):
    questions = load_questions(HERE / name)
    summary = evaluate(kb, questions, k=5).summary()
    floors = dict(FLOORS[name])
    assert summary["false_abstention"] <= floors.pop("false_abstention_max"), summary
    for key, floor in floors.items():
        assert summary[key] >= floor, (key, summary)


def test_question_set_is_big_and_varied():
    questions = load_questions(HERE / "questions.yaml")
    kinds = [q.kind for q in questions]
    assert len(questions) >= 80
    assert kinds.count("unanswerable") >= 10
    assert kinds.count("paraphrase") >= 30 and kinds.count("direct") >= 30


def test_every_top_hit_is_attributed(kb):
    for q in load_questions(HERE / "questions.yaml"):
        for hit in kb.search(q.q, k=5).hits:
            assert hit.passage.title and hit.passage.doc_id and hit.passage.paragraph >= 1
            assert len(hit.passage.text) <= 600
