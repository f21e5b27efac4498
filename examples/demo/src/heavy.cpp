// Deliberately template-heavy: every Node<N> instantiates its own std::map, std::variant,
// std::visit and std::function code, so compiling this file makes the compiler's memory
// visible on a chart (about 400 MB at NODES=150 with g++ 12 -O2). NODES scales it.
#ifndef NODES
#define NODES 150
#endif

#include <array>
#include <functional>
#include <map>
#include <string>
#include <tuple>
#include <utility>
#include <variant>
#include <vector>

template<int N>
struct Node
{
    std::map<std::string, std::tuple<int, double, std::array<char, N % 7 + 1>>> table;
    std::vector<std::variant<int, double, std::string, std::array<int, N % 5 + 1>>> values;
    std::function<long(long)> scale = [](long x) { return x * N + 1; };

    long compute()
    {
        table["k" + std::to_string(N)] = {N, N * 0.5, {}};
        values.emplace_back(N);
        values.emplace_back(std::string(N % 13 + 1, 'x'));
        long total = 0;
        for (const auto& [key, value] : table)
            total += std::get<0>(value) + static_cast<long>(key.size());
        for (const auto& v : values)
            total += std::visit(
                [](const auto& item) -> long {
                    if constexpr (std::is_same_v<std::decay_t<decltype(item)>, std::string>)
                        return static_cast<long>(item.size());
                    else if constexpr (std::is_arithmetic_v<std::decay_t<decltype(item)>>)
                        return static_cast<long>(item);
                    else
                        return static_cast<long>(item.size());
                },
                v);
        return scale(total);
    }
};

template<int... Is>
long sumAll(std::integer_sequence<int, Is...>)
{
    return (Node<Is> {}.compute() + ...);
}

long heavy()
{
    // Sum over N of Node<N>::compute(); main.cpp recomputes it with a plain loop.
    return sumAll(std::make_integer_sequence<int, NODES> {});
}
