# Bandit policies (Beta-Bernoulli TS, linear contextual bandits, greedy /
# epsilon-greedy / softmax) and the Decision they return. Included from
# learning/CMakeLists.txt. Eigen + the standard library only.
add_library(driftline_learning_bandits STATIC
  ${CMAKE_CURRENT_LIST_DIR}/beta_bernoulli.cc
  ${CMAKE_CURRENT_LIST_DIR}/linear_bandit.cc
  ${CMAKE_CURRENT_LIST_DIR}/policy.cc
  ${CMAKE_CURRENT_LIST_DIR}/policy_score.cc
  ${CMAKE_CURRENT_LIST_DIR}/policy_thompson.cc
  ${CMAKE_CURRENT_LIST_DIR}/policy_linear.cc
  ${CMAKE_CURRENT_LIST_DIR}/ranking_policy.cc
)
target_link_libraries(driftline_learning_bandits PUBLIC driftline_common Eigen3::Eigen)
target_include_directories(driftline_learning_bandits PUBLIC ${PROJECT_SOURCE_DIR})
