// SPDX-License-Identifier: MIT
// The Ethereum adapter's end-to-end test token: a minimal ERC-20 (balances, transfer, Transfer
// events) whose whole supply is minted to the deployer. No allowances: the test needs none.
pragma solidity ^0.8.20;

contract TestToken {
    string public constant name = "Glassbook Test Token";
    string public constant symbol = "GBT";
    uint8 public constant decimals = 6;
    uint256 public totalSupply;
    mapping(address => uint256) public balanceOf;

    event Transfer(address indexed from, address indexed to, uint256 value);

    constructor(uint256 supply) {
        totalSupply = supply;
        balanceOf[msg.sender] = supply;
        emit Transfer(address(0), msg.sender, supply);
    }

    function transfer(address to, uint256 value) external returns (bool) {
        require(balanceOf[msg.sender] >= value, "insufficient balance");
        balanceOf[msg.sender] -= value;
        balanceOf[to] += value;
        emit Transfer(msg.sender, to, value);
        return true;
    }
}
