// The endpoint's table of open predicts (actors/open_predicts.h) and the
// composition of predict replies (actors/predict_reply.h): plain classes,
// tested without actors or sockets.
#include <cmath>

#include <catch2/catch.hpp>

#include "actors/open_predicts.h"
#include "actors/predict_reply.h"
#include "learning/logistic.h"
#include "tests/actors/node_harness.h"

using namespace driftline;

namespace {

std::shared_ptr<const PredictRequest> Request(uint64_t id, const std::string& user = "u1") {
  auto r = std::make_shared<PredictRequest>();
  r->request_id = id;
  r->user = user;
  r->candidates = {{"i1", {}}, {"i2", {{"item", {{"genre=1", 1.0}}}}}};
  return r;
}

}  // namespace

TEST_CASE("open predicts: beyond the router bound a predict is refused until the router finishes one") {
  OpenPredictsOptions options;
  options.max_router_in_flight = 3;
  options.max_per_peer = 100;
  OpenPredicts open(options);
  std::vector<uint64_t> tokens;
  for (int i = 0; i < 3; ++i) {
    auto t = open.Open("peer-" + std::to_string(i), Request(i), "p1-" + std::to_string(i), 1000);
    REQUIRE(t.ok());
    tokens.push_back(*t);
  }
  auto refused = open.Open("peer-x", Request(9), "p1-9", 1000);
  REQUIRE(refused.status().code() == Status::Code::kResourceExhausted);
  REQUIRE(refused.status().message().find("node busy") != std::string::npos);
  REQUIRE(open.unanswered() == 3);  // the refused one left nothing behind

  // Answered but not finished by the router: still counts against the bound.
  std::string peer;
  REQUIRE(open.Claim(tokens[0], &peer));
  REQUIRE(peer == "peer-0");
  REQUIRE_FALSE(open.Open("peer-x", Request(9), "p1-9", 1000).ok());
  open.RouterDone(tokens[0]);
  REQUIRE(open.Open("peer-x", Request(9), "p1-9", 1000).ok());
  REQUIRE(open.counters().refused_node_busy == 2);
  REQUIRE(open.router_in_flight() == 3);
}

TEST_CASE("open predicts: one connection's bound refuses only that connection") {
  OpenPredictsOptions options;
  options.max_router_in_flight = 100;
  options.max_per_peer = 2;
  OpenPredicts open(options);
  auto a1 = open.Open("a", Request(1), "p-1", 1000);
  REQUIRE(open.Open("a", Request(2), "p-2", 1000).ok());
  auto a3 = open.Open("a", Request(3), "p-3", 1000);
  REQUIRE(a3.status().code() == Status::Code::kResourceExhausted);
  REQUIRE(a3.status().message().find("connection busy") != std::string::npos);
  REQUIRE(open.Open("b", Request(4), "p-4", 1000).ok());
  // Once one of a's predicts is answered, a may send another.
  std::string peer;
  REQUIRE(open.Claim(*a1, &peer));
  REQUIRE(open.Open("a", Request(5), "p-5", 1000).ok());
  REQUIRE(open.counters().refused_peer_busy == 1);
}

TEST_CASE("open predicts: the first answer wins; the router's late answer is dropped and counted") {
  OpenPredicts open;
  auto early = open.Open("a", Request(1), "p-1", 100);
  auto late = open.Open("a", Request(2), "p-2", 200);
  auto later = open.Open("b", Request(3), "p-3", 300);
  REQUIRE(open.NextDeadline() == std::optional<int64_t>(100));

  // Nothing is due before its deadline.
  REQUIRE(open.TakeExpired(99).empty());
  // The router answers p-2 in time: the deadline never sends it.
  std::string peer;
  REQUIRE(open.Claim(*late, &peer));
  // The router posted its scores for p-3 but could not confirm the log.
  PredictReply draft;
  draft.prediction_id = "p-3";
  draft.joinable = false;
  open.SetDraft(*later, draft);

  auto due = open.TakeExpired(1000);
  REQUIRE(due.size() == 2);
  REQUIRE(due[0].token == *early);  // in deadline order
  REQUIRE(due[0].prediction_id == "p-1");
  REQUIRE_FALSE(due[0].draft.has_value());
  REQUIRE(due[1].token == *later);
  REQUIRE(due[1].draft.has_value());
  REQUIRE(due[1].draft->prediction_id == "p-3");
  REQUIRE(open.Answered(*early));

  // The router's answers after the deadline answers: refused, counted.
  REQUIRE_FALSE(open.Claim(*early, &peer));
  REQUIRE_FALSE(open.Claim(*later, &peer));
  const OpenPredictCounters c = open.counters();
  REQUIRE(c.answered_by_router == 1);
  REQUIRE(c.answered_at_deadline == 2);
  REQUIRE(c.deadline_with_draft == 1);
  REQUIRE(c.router_late == 2);
  REQUIRE(open.unanswered() == 0);
  REQUIRE_FALSE(open.NextDeadline().has_value());
}

TEST_CASE("a composed reply adds the online parts to the base; without them it is the base alone") {
  auto request = Request(7);
  const std::vector<double> base = {0.5, -1.0};
  Rng rng(1);
  auto base_only = ComposeReply(*request, base, OnlineParts{}, BetaPriorOptions{}, rng);
  REQUIRE(base_only.ok());
  REQUIRE(base_only->reply.scores[0].probability == Sigmoid(0.5));
  REQUIRE(base_only->reply.scores[1].probability == Sigmoid(-1.0));
  REQUIRE(base_only->reply.chosen == "i1");

  OnlineParts online{{0.0, 2.0}, {ArmView{0.1, 0, 0}, ArmView{0.2, 0, 0}}};
  auto combined = ComposeReply(*request, base, online, BetaPriorOptions{}, rng);
  REQUIRE(combined.ok());
  REQUIRE(combined->reply.scores[0].probability == Sigmoid(0.5 + 0.0 + 0.1));
  REQUIRE(combined->reply.scores[1].probability == Sigmoid(-1.0 + 2.0 + 0.2));
  REQUIRE(combined->chosen == 1);
  REQUIRE(combined->reply.chosen == "i2");
  REQUIRE(combined->reply.propensity == 1.0);
}

TEST_CASE("the endpoint's base-only reply is flagged fallback and not joinable, with the base model's scores") {
  const ModelArtifact artifact = testing::SmallModel("v1");
  const BaseModel model(artifact);
  auto request = Request(8);
  Rng rng(1);
  auto reply = BaseOnlyReply(model, *request, "p4-17", "why fallback", "why not joinable",
                             BetaPriorOptions{}, rng);
  REQUIRE(reply.ok());
  CHECK(reply->request_id == 8);
  CHECK(reply->prediction_id == "p4-17");
  CHECK(reply->model_version == "v1");
  CHECK(reply->fallback);
  CHECK(reply->fallback_reason == "why fallback");
  CHECK_FALSE(reply->joinable);
  CHECK(reply->unjoinable_reason == "why not joinable");
  const std::vector<double> base = BaseLogits(model, *request, CandidateFeatures(*request));
  REQUIRE(reply->scores.size() == 2);
  CHECK(reply->scores[0].probability == Sigmoid(base[0]));
  CHECK(reply->scores[1].probability == Sigmoid(base[1]));
  CHECK(base[0] != base[1]);  // the candidates' own features reach the model
}
